"""The soft landing after a move: every placement's check-ins are rows made when the move
is recorded (`schedule`), the support worker is asked in working hours (`runner`), and an
answer is stored with its time; a concern goes to the matchpunt (`answers`)."""
