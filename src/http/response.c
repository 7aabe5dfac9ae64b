/* response.c - building the response of a request. */
#include "request.h"
#include <stdio.h>
#include <string.h>

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 413: return "Payload Too Large";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	}
	return "Unknown";
}

static int header_safe(const char *s)
{
	for (; *s; s++)
		if (*s == '\r' || *s == '\n')
			return 0;
	return 1;
}

int resp_header(req_t *r, const char *name, const char *value)
{
	if (!header_safe(name) || !header_safe(value) || strchr(name, ':'))
		return -1;
	buf_printf(&r->head, "%s: %s\r\n", name, value);
	return 0;
}

void resp_cookie(req_t *r, const char *name, const char *value, long max_age)
{
	char attrs[128];
	if (max_age >= 0)
		snprintf(attrs, sizeof attrs, "; Max-Age=%ld", max_age);
	else
		attrs[0] = '\0';
	char *v = arena_printf(r->a, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name, value,
			       attrs, r->https ? "; Secure" : "");
	resp_header(r, "Set-Cookie", v);
}

int local_path(const char *p)
{
	if (!p || p[0] != '/' || p[1] == '/')
		return 0;
	/* browsers drop tabs and newlines and read "\" as "/": "/\t/evil"
	 * would leave the site, so no control byte, space or backslash at all */
	for (const unsigned char *c = (const unsigned char *)p; *c; c++)
		if (*c <= 0x20 || *c == 0x7F || *c == '\\')
			return 0;
	return 1;
}

int resp_redirect(req_t *r, const char *location)
{
	if (!local_path(location))
		location = "/";
	r->status = 303;
	resp_header(r, "Location", location);
	r->ctype = "text/plain; charset=utf-8";
	buf_reset(&r->body);
	return 0;
}

int resp_text(req_t *r, int status, const char *text)
{
	r->status = status;
	r->ctype = "text/plain; charset=utf-8";
	buf_reset(&r->body);
	buf_puts(&r->body, text);
	return 0;
}
