"""The transport: a PTB `BaseRequest` that answers from a `LocalBotApi`, not the network."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.localapi.spec import JSON, ConnectionLost, Files

if TYPE_CHECKING:
    from bot.localapi.server import LocalBotApi


def _read_upload(content: Any) -> bytes:
    if hasattr(content, "read"):
        content = content.read()
    return content.encode() if isinstance(content, str) else bytes(content)


class LocalRequest(BaseRequest):
    """A `BaseRequest` that answers from a `LocalBotApi` instead of the network."""

    __slots__ = ("_api",)

    def __init__(self, api: LocalBotApi) -> None:
        self._api = api

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if method == "GET" and "/file/bot" in url:
            return self._api._download(url)
        params: JSON = {}
        files: Files = {}
        if request_data is not None:
            # A JSON round trip gives exactly what the server would see (enums become strings).
            params = json.loads(json.dumps(request_data.parameters))
            for name, (file_name, content, mime) in request_data.multipart_data.items():
                files[name] = (file_name, _read_upload(content), mime)
        try:
            return await self._api._handle(url.rsplit("/", 1)[-1], params, files)
        except ConnectionLost as lost:
            # What httpx would make PTB raise: a read timeout after the request went out, or a
            # connection error before it arrived.
            if lost.processed:
                raise TimedOut() from None
            raise NetworkError("injected network error") from None
