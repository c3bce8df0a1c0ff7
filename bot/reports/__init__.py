"""The matchpunt's overview (`/stand`, `weerthuis report`): the quota ledger, the spread
over neighbourhoods against their caps, who waits and for how long, open homes, open and
stalled proposals, and why proposals were declined (`stand`); as text, CSV or JSON
(`formats`) and as a chart (`chart`)."""
