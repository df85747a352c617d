"""Multipart bodies as a browser or curl sends them, byte for byte.

Django's test client builds its own multipart body and its uploaded-file objects cut names to 255
characters first, so a 1000-character file name never reaches the parser the way a real upload does.
"""

BOUNDARY = "----WebKitFormBoundaryAcademy7MA4YWxk"


def multipart(fields: dict[str, str], *, file_name: str, data: bytes, content_type="image/jpeg") -> tuple[bytes, str]:
    """(body, content type) with `fields` first and then one file part named `file_name` (UTF-8, unescaped, as Chromium sends it)."""
    body = b""
    for name, value in fields.items():
        body += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    quoted = file_name.replace('"', "%22")
    body += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{quoted}"\r\n'
             f"Content-Type: {content_type}\r\n\r\n").encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()
    return body, f"multipart/form-data; boundary={BOUNDARY}"
