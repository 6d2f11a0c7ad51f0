"""Just enough SNMP (v1 GET over UDP) to ask a networked Brother printer for its status.

Brother QL printers ignore status requests on the raw port 9100; their network status comes
over SNMP instead: the value of Brother's OID below is the same 32-byte block a USB printer
sends in answer to `ESC i S`. A full SNMP library would be a heavy dependency for one GET.
"""

from __future__ import annotations

import itertools
import socket

BROTHER_STATUS_OID = "1.3.6.1.4.1.2435.3.3.9.1.6.1.0"
_ids = itertools.count(1)


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, value: bytes) -> bytes:
    return bytes([tag]) + _length(len(value)) + value


def integer(n: int) -> bytes:
    return tlv(0x02, n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big", signed=True))


def oid(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    body = bytearray([40 * parts[0] + parts[1]])
    for part in parts[2:]:
        chunk = [part & 0x7F]
        part >>= 7
        while part:
            chunk.append(0x80 | (part & 0x7F))
            part >>= 7
        body += bytes(reversed(chunk))
    return tlv(0x06, bytes(body))


def get_request(dotted: str, community: str = "public", request_id: int = 1) -> bytes:
    varbind = tlv(0x30, tlv(0x30, oid(dotted) + b"\x05\x00"))
    pdu = tlv(0xA0, integer(request_id) + integer(0) + integer(0) + varbind)
    return tlv(0x30, integer(0) + tlv(0x04, community.encode()) + pdu)


def parse(data: bytes) -> list[tuple[int, bytes]]:
    """The TLVs at one level: [(tag, value)]; raises ValueError on truncated data."""
    items, i = [], 0
    while i < len(data):
        if i + 2 > len(data):
            raise ValueError("truncated SNMP data")
        tag, n = data[i], data[i + 1]
        i += 2
        if n & 0x80:
            width = n & 0x7F
            n = int.from_bytes(data[i : i + width], "big")
            i += width
        if i + n > len(data):
            raise ValueError("truncated SNMP data")
        items.append((tag, data[i : i + n]))
        i += n
    return items


def response_value(data: bytes, request_id: int) -> bytes | None:
    """The OCTET STRING of a GetResponse to `request_id`, or None for any other answer."""
    try:
        [(_, message)] = parse(data)
        _version, _community, (pdu_tag, pdu) = parse(message)
        (_, rid), (_, error), _index, (_, varbinds) = parse(pdu)
        [(_, varbind)] = parse(varbinds)
        _name, (value_tag, value) = parse(varbind)
    except ValueError:
        return None
    if pdu_tag != 0xA2 or int.from_bytes(rid, "big", signed=True) != request_id:
        return None
    if int.from_bytes(error, "big") != 0 or value_tag != 0x04:
        return None
    return value


def snmp_get(
    host: str, dotted: str, *, port: int = 161, community: str = "public", timeout: float = 1.0
) -> bytes | None:
    """One GET; None if the agent is silent, refuses, or answers with anything but a string."""
    request_id = next(_ids) & 0x7FFFFFFF
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(timeout)
            sock.connect((host, port))
            sock.send(get_request(dotted, community, request_id))
            while True:
                value = response_value(sock.recv(2048), request_id)
                if value is not None:
                    return value
    except OSError:  # timeout, ICMP port unreachable, no route
        return None
