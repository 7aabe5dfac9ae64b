/* format.c - money, dates and masks for display. */
#include "format.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

int int_format(long long v, char out[21])
{
	char rev[20];
	int k = 0, o = 0;
	/* in uint64 so LLONG_MIN is representable */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		rev[k++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		out[o++] = '-';
	while (k)
		out[o++] = rev[--k];
	out[o] = '\0';
	return o;
}

/* the value of the n decimal digits at s, or -1 if one is not a digit */
static int digits_at(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

void money_format_yuan(int64_t fen, char *out, size_t n)
{
	char digits[32];
	int neg = fen < 0;
	/* work in uint64 so INT64_MIN is representable */
	uint64_t v = neg ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	uint64_t yuan = v / 100;
	unsigned cents = (unsigned)(v % 100);
	int len = int_format((long long)yuan, digits); /* yuan <= INT64_MAX / 100 */
	char tmp[48];
	size_t o = 0;
	if (neg)
		tmp[o++] = '-';
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			tmp[o++] = ',';
		tmp[o++] = digits[i];
	}
	tmp[o++] = '.';
	tmp[o++] = (char)('0' + cents / 10);
	tmp[o++] = (char)('0' + cents % 10);
	tmp[o] = '\0';
	snprintf(out, n, "%s", tmp);
}

void money_format_wan(int64_t fen, char *out, size_t n)
{
	int neg = fen < 0;
	uint64_t v = neg ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	uint64_t whole = v / 1000000;
	unsigned frac = (unsigned)(v % 1000000);
	char f[8];
	snprintf(f, sizeof f, "%06u", frac);
	int keep = 6;
	while (keep > 4 && f[keep - 1] == '0')
		keep--;
	f[keep] = '\0';
	snprintf(out, n, "%s%llu.%s", neg ? "-" : "", (unsigned long long)whole, f);
}

int money_parse_yuan(const char *s, int allow_neg, int64_t *fen)
{
	const char *p = s;
	int neg = 0;
	while (*p == ' ')
		p++;
	if (*p == '-') {
		if (!allow_neg)
			return -1;
		neg = 1;
		p++;
	}
	uint64_t yuan = 0;
	int ndig = 0, group = -1; /* digits since the last comma; -1 = no comma yet */
	for (; *p && *p != '.'; p++) {
		if (*p == ',') {
			if (ndig == 0 || (group >= 0 && group != 3) || (group < 0 && ndig > 3))
				return -1;
			group = 0;
			continue;
		}
		if (*p == ' ')
			break;
		if (*p < '0' || *p > '9')
			return -1;
		if (yuan > (uint64_t)INT64_MAX / 1000)
			return -1;
		yuan = yuan * 10 + (uint64_t)(*p - '0');
		ndig++;
		if (group >= 0)
			group++;
	}
	if (ndig == 0 || (group >= 0 && group != 3))
		return -1;
	unsigned cents = 0;
	if (*p == '.') {
		p++;
		int nd = 0;
		while (*p >= '0' && *p <= '9') {
			if (nd == 2)
				return -1;
			cents = cents * 10 + (unsigned)(*p - '0');
			nd++;
			p++;
		}
		if (nd == 0)
			return -1;
		if (nd == 1)
			cents *= 10;
	}
	while (*p == ' ')
		p++;
	if (*p)
		return -1;
	uint64_t v = yuan * 100 + cents;
	if (v > (uint64_t)INT64_MAX)
		return -1;
	*fen = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

int date_valid(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1)
		return 0;
	int max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

int date_format_cn(const char *iso, int with_time, char *out, size_t n)
{
	/* exactly YYYY-MM-DD, then optionally T or space and HH:MM */
	int y = -1, m = -1, d = -1, hh = -1, mm = -1;
	if (iso && strnlen(iso, 10) == 10 && iso[4] == '-' && iso[7] == '-') {
		y = digits_at(iso, 4);
		m = digits_at(iso + 5, 2);
		d = digits_at(iso + 8, 2);
	}
	if (y < 0 || m < 0 || d < 0 || !date_valid(y, m, d)) {
		snprintf(out, n, "%s", iso ? iso : "");
		return -1;
	}
	if ((iso[10] == 'T' || iso[10] == ' ') && strnlen(iso + 11, 5) == 5 && iso[13] == ':') {
		hh = digits_at(iso + 11, 2);
		mm = digits_at(iso + 14, 2);
	}
	int has_time = hh >= 0 && mm >= 0;
	/* "2025年3月5日 14:03": at most 4 + 3 + 2 + 3 + 2 + 3 + 6 bytes */
	char tmp[32], num[21];
	size_t o = 0;
	const int part[3] = {y, m, d};
	static const char *const unit[3] = {"年", "月", "日"};
	for (int i = 0; i < 3; i++) {
		int k = int_format(part[i], num);
		memcpy(tmp + o, num, (size_t)k);
		o += (size_t)k;
		memcpy(tmp + o, unit[i], 3);
		o += 3;
	}
	if (with_time && has_time) {
		tmp[o++] = ' ';
		tmp[o++] = (char)('0' + hh / 10 % 10);
		tmp[o++] = (char)('0' + hh % 10);
		tmp[o++] = ':';
		tmp[o++] = (char)('0' + mm / 10);
		tmp[o++] = (char)('0' + mm % 10);
	}
	tmp[o] = '\0';
	snprintf(out, n, "%s", tmp);
	return 0;
}

void mask_idcard(const char *id, char *out, size_t n)
{
	size_t len = strlen(id);
	if (n == 0)
		return;
	if (len < 11) {
		size_t k = len < n - 1 ? len : n - 1;
		memset(out, '*', k);
		out[k] = '\0';
		return;
	}
	snprintf(out, n, "%.6s********%s", id, id + len - 4);
}

void mask_account(const char *a, char *out, size_t n)
{
	size_t len = strlen(a);
	if (n == 0)
		return;
	if (len <= 4) {
		size_t k = len < n - 1 ? len : n - 1;
		memset(out, '*', k);
		out[k] = '\0';
		return;
	}
	snprintf(out, n, "********%s", a + len - 4);
}

/* Mask the sensitive values of one key in place (see mask_json). */
static void mask_key(json_t *o, const char *key, void (*mask)(const char *, char *, size_t))
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v) || !*json_string_value(v))
		return;
	char out[128];
	mask(json_string_value(v), out, sizeof out);
	json_object_set_new(o, key, json_string(out));
}

void mask_json(json_t *v, int depth)
{
	if (depth > 8)
		return;
	if (json_is_object(v)) {
		mask_key(v, "idcard", mask_idcard);
		mask_key(v, "xueji_no", mask_idcard);
		mask_key(v, "phone", mask_phone);
		mask_key(v, "account_no", mask_account);
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x) mask_json(x, depth + 1);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) mask_json(x, depth + 1);
	}
}

void mask_phone(const char *p, char *out, size_t n)
{
	size_t len = strlen(p);
	if (n == 0)
		return;
	if (len == 11) {
		snprintf(out, n, "%.3s****%s", p, p + 7);
		return;
	}
	if (len <= 4) {
		size_t k = len < n - 1 ? len : n - 1;
		memset(out, '*', k);
		out[k] = '\0';
		return;
	}
	snprintf(out, n, "%.*s%s", (int)(len - 4), "********************************", p + len - 4);
}

/* Length of the UTF-8 sequence starting with byte c (1 for invalid bytes). */
static size_t u8len(unsigned char c)
{
	if (c >= 0xF0 && c < 0xF8)
		return 4;
	if (c >= 0xE0)
		return c < 0xF0 ? 3 : 1;
	if (c >= 0xC0)
		return 2;
	return 1;
}

void mask_name(const char *name, char *out, size_t n)
{
	size_t len = strlen(name), starts[64], nch = 0;
	for (size_t i = 0; i < len && nch < 64; nch++) {
		starts[nch] = i;
		size_t l = u8len((unsigned char)name[i]);
		i += l <= len - i ? l : len - i;
	}
	if (n == 0)
		return;
	if (nch == 0) {
		out[0] = '\0';
		return;
	}
	size_t firstlen = nch > 1 ? starts[1] : len;
	char tmp[512];
	size_t o = 0;
	if (firstlen >= sizeof tmp - 70)
		firstlen = 0;
	memcpy(tmp, name, firstlen);
	o = firstlen;
	if (nch == 1) {
		tmp[o] = '\0';
	} else if (nch == 2) {
		tmp[o++] = '*';
		tmp[o] = '\0';
	} else {
		for (size_t k = 1; k + 1 < nch && o < 200; k++)
			tmp[o++] = '*';
		size_t lastlen = len - starts[nch - 1];
		if (lastlen < sizeof tmp - o - 1) {
			memcpy(tmp + o, name + starts[nch - 1], lastlen);
			o += lastlen;
		}
		tmp[o] = '\0';
	}
	snprintf(out, n, "%s", tmp);
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int has_control(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7F)
			return 1;
	return 0;
}

void school_year_of(int d, char out[10])
{
	int y = d / 10000, m = d / 100 % 100;
	if (m < 8)
		y--;
	if (y < 1000 || y > 9998)
		y = 2000;
	snprintf(out, 10, "%04d-%04d", y % 10000, (y + 1) % 10000);
}

int school_year_ok(const char *s)
{
	int a, b, n = 0;
	if (!s || strlen(s) != 9 || sscanf(s, "%4d-%4d%n", &a, &b, &n) != 2 || n != 9)
		return 0;
	return a >= 2000 && a < 2100 && b == a + 1;
}

static int parse_iso(const char *iso, struct tm *tm)
{
	int y, m, d, n = 0;
	if (!iso || sscanf(iso, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || !date_valid(y, m, d))
		return -1;
	memset(tm, 0, sizeof *tm);
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_hour = 12; /* away from any DST edge */
	return 0;
}

int add_days(const char *iso, int days, char out[11])
{
	struct tm tm;
	if (parse_iso(iso, &tm) != 0)
		return -1;
	tm.tm_mday += days;
	time_t t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
	return 0;
}

int add_working_days(const char *iso, int n, char out[11])
{
	struct tm tm;
	if (parse_iso(iso, &tm) != 0 || n < 1)
		return -1;
	time_t t = timegm(&tm);
	int counted = 0;
	for (int guard = 0; guard < 400; guard++) {
		struct tm d;
		gmtime_r(&t, &d);
		if (d.tm_wday != 0 && d.tm_wday != 6 && ++counted == n) {
			strftime(out, 11, "%Y-%m-%d", &d);
			return 0;
		}
		t += 86400;
	}
	return -1;
}

void today_iso(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

const char *document_type(const unsigned char *d, size_t n)
{
	if (n >= 5 && memcmp(d, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		return "image/jpeg";
	if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	return NULL;
}
