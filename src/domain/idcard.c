/* idcard.c - 身份证号 validation (GB 11643, ISO 7064 MOD 11-2). */
#include "idcard.h"
#include "format.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

char idcard_check_char(const char *first17)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char map[] = "10X98765432";
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * w[i];
	return map[sum % 11];
}

/* First two digits: the province-level codes of GB/T 2260 (and 71/81/82). */
static int region_ok(const char *s)
{
	static const char *prov[] = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32",
				     "33", "34", "35", "36", "37", "41", "42", "43", "44", "45",
				     "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
				     "65", "71", "81", "82"};
	for (size_t i = 0; i < sizeof prov / sizeof prov[0]; i++)
		if (s[0] == prov[i][0] && s[1] == prov[i][1])
			return 1;
	return 0;
}

idcard_result idcard_check(const char *s, int today, char out[19])
{
	char n[19];
	size_t k = 0;
	out[0] = '\0';
	if (!s)
		return IDCARD_EMPTY;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			p++;
			continue;
		}
		/* full-width space U+3000 */
		if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
			p += 3;
			continue;
		}
		char c;
		if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) {
			c = (char)('0' + (p[2] - 0x90)); /* ０-９ */
			p += 3;
		} else if (p[0] == 0xEF && ((p[1] == 0xBC && p[2] == 0xB8) || (p[1] == 0xBD && p[2] == 0x98))) {
			c = 'X'; /* Ｘ ｘ */
			p += 3;
		} else {
			c = (char)*p++;
		}
		if (c == 'x')
			c = 'X';
		if (k == 18)
			return IDCARD_LENGTH;
		n[k++] = c;
	}
	n[k] = '\0';
	if (k == 0)
		return IDCARD_EMPTY;
	if (k != 18)
		return IDCARD_LENGTH;
	for (int i = 0; i < 17; i++)
		if (n[i] < '0' || n[i] > '9')
			return IDCARD_CHARS;
	if (!((n[17] >= '0' && n[17] <= '9') || n[17] == 'X'))
		return IDCARD_CHARS;
	memcpy(out, n, 19);
	if (!region_ok(n))
		return IDCARD_REGION;
	int y = (n[6] - '0') * 1000 + (n[7] - '0') * 100 + (n[8] - '0') * 10 + (n[9] - '0');
	int m = (n[10] - '0') * 10 + (n[11] - '0');
	int d = (n[12] - '0') * 10 + (n[13] - '0');
	if (!date_valid(y, m, d) || (today && y * 10000 + m * 100 + d > today))
		return IDCARD_BIRTH;
	if (idcard_check_char(n) != n[17])
		return IDCARD_CHECK;
	return IDCARD_OK;
}

const char *idcard_message(idcard_result r)
{
	switch (r) {
	case IDCARD_OK:
		return "";
	case IDCARD_EMPTY:
		return "请填写身份证号。";
	case IDCARD_LENGTH:
		return "身份证号应为 18 位，请核对位数。";
	case IDCARD_CHARS:
		return "身份证号前 17 位应为数字，最后一位为数字或 X。";
	case IDCARD_REGION:
		return "身份证号前 6 位地区码不正确，请核对。";
	case IDCARD_BIRTH:
		return "身份证号中的出生日期（第 7-14 位）不是有效日期，请核对。";
	case IDCARD_CHECK:
		return "身份证号校验位（最后一位）不正确，可能有数字录入错误，请逐位核对。";
	}
	return "身份证号不正确。";
}

int idcard_is_male(const char *id)
{
	return (id[16] - '0') % 2 == 1;
}

void idcard_birth(const char *id, char out[11])
{
	snprintf(out, 11, "%.4s-%.2s-%.2s", id + 6, id + 10, id + 12);
}

int today_yyyymmdd(void)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}
