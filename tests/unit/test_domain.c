/* Tests for the domain rules: 身份证号 check and money/date/mask formats. */
#include "domain/format.h"
#include "domain/idcard.h"
#include "test.h"
#include <stdint.h>
#include <stdlib.h>

static void test_idcard(void)
{
	char out[19];
	/* the GB 11643 worked example */
	CHECK_INT(idcard_check("11010519491231002X", 20261123, out), IDCARD_OK);
	CHECK_STR(out, "11010519491231002X");
	CHECK_INT(idcard_check("11010519491231002x", 20261123, out), IDCARD_OK);
	CHECK_STR(out, "11010519491231002X");
	CHECK_INT(idcard_check(" 110105194912310021 ", 0, out), IDCARD_CHECK);
	CHECK_INT(idcard_check("440524188001010014", 0, out), IDCARD_BIRTH); /* 1880 */
	CHECK_INT(idcard_check("", 0, out), IDCARD_EMPTY);
	CHECK_INT(idcard_check(NULL, 0, out), IDCARD_EMPTY);
	CHECK_INT(idcard_check("11010519491231002", 0, out), IDCARD_LENGTH);
	CHECK_INT(idcard_check("11010519491231002XX", 0, out), IDCARD_LENGTH);
	CHECK_INT(idcard_check("1101051949123100AX", 0, out), IDCARD_CHARS);
	CHECK_INT(idcard_check("' OR 1=1 --xxxxxxxxxx", 0, out), IDCARD_CHARS);
	CHECK_INT(idcard_check("<script>alert(1)</", 0, out), IDCARD_CHARS);
	CHECK_INT(idcard_check("中文中文中文", 0, out), IDCARD_CHARS);
	/* full-width digits typed with an IME */
	CHECK_INT(idcard_check("１１０１０５１９４９１２３１００２Ｘ", 0, out), IDCARD_OK);
	CHECK_STR(out, "11010519491231002X");
	/* region 00 does not exist */
	char id[19] = "00010520100101001";
	id[17] = idcard_check_char(id);
	id[18] = 0;
	CHECK_INT(idcard_check(id, 0, out), IDCARD_REGION);
	/* 2023-02-29 is not a date; 2024-02-29 is */
	char bad[19] = "41030320230229001", good[19] = "41030320240229001";
	bad[17] = idcard_check_char(bad);
	good[17] = idcard_check_char(good);
	bad[18] = good[18] = 0;
	CHECK_INT(idcard_check(bad, 0, out), IDCARD_BIRTH);
	CHECK_INT(idcard_check(good, 20261123, out), IDCARD_OK);
	/* born in the future */
	CHECK_INT(idcard_check(good, 20240228, out), IDCARD_BIRTH);
	CHECK_INT(idcard_is_male(good), 1);
	char b[11];
	idcard_birth(good, b);
	CHECK_STR(b, "2024-02-29");
	/* every single-digit typo is caught by the check character */
	int caught = 0, total = 0;
	for (int pos = 0; pos < 17; pos++)
		for (char d = '0'; d <= '9'; d++) {
			char t[19];
			memcpy(t, "11010519491231002X", 19);
			if (t[pos] == d)
				continue;
			t[pos] = d;
			total++;
			if (idcard_check(t, 0, out) != IDCARD_OK)
				caught++;
		}
	CHECK_INT(caught, total);
	for (int r = IDCARD_EMPTY; r <= IDCARD_CHECK; r++)
		CHECK(strlen(idcard_message((idcard_result)r)) > 0);
}

static void test_money(void)
{
	char s[64];
	char n21[21];
	CHECK_INT(int_format(0, n21), 1);
	CHECK_STR(n21, "0");
	CHECK_INT(int_format(-7, n21), 2);
	CHECK_STR(n21, "-7");
	CHECK_INT(int_format(1234567890123LL, n21), 13);
	CHECK_STR(n21, "1234567890123");
	CHECK_INT(int_format(INT64_MAX, n21), 19);
	CHECK_STR(n21, "9223372036854775807");
	CHECK_INT(int_format(INT64_MIN, n21), 20);
	CHECK_STR(n21, "-9223372036854775808");
	int same = 1;
	for (long long v = -100000; v < 100000; v += 3) {
		char want[32];
		snprintf(want, sizeof want, "%lld", v);
		if (int_format(v, n21) != (int)strlen(want) || strcmp(n21, want) != 0)
			same = 0;
	}
	CHECK(same);
	money_format_yuan(123456, s, 4); /* cut to the buffer */
	CHECK_STR(s, "1,2");
	money_format_yuan(125000, s, sizeof s);
	CHECK_STR(s, "1,250.00");
	money_format_yuan(31250, s, sizeof s);
	CHECK_STR(s, "312.50");
	money_format_yuan(0, s, sizeof s);
	CHECK_STR(s, "0.00");
	money_format_yuan(-5, s, sizeof s);
	CHECK_STR(s, "-0.05");
	money_format_yuan(100000000000, s, sizeof s);
	CHECK_STR(s, "1,000,000,000.00");
	money_format_yuan(INT64_MIN, s, sizeof s);
	CHECK_STR(s, "-92,233,720,368,547,758.08");
	money_format_wan(3222587500, s, sizeof s);
	CHECK_STR(s, "3222.5875");
	money_format_wan(53081250, s, sizeof s);
	CHECK_STR(s, "53.08125");
	money_format_wan(1, s, sizeof s);
	CHECK_STR(s, "0.000001");
	money_format_wan(0, s, sizeof s);
	CHECK_STR(s, "0.0000");
	int64_t f = -1;
	CHECK_INT(money_parse_yuan("312.5", 0, &f), 0);
	CHECK_INT(f, 31250);
	CHECK_INT(money_parse_yuan("1,250.00", 0, &f), 0);
	CHECK_INT(f, 125000);
	CHECK_INT(money_parse_yuan("0.01", 0, &f), 0);
	CHECK_INT(f, 1);
	CHECK_INT(money_parse_yuan("-3", 1, &f), 0);
	CHECK_INT(f, -300);
	CHECK_INT(money_parse_yuan("-3", 0, &f), -1);
	CHECK_INT(money_parse_yuan("1.234", 0, &f), -1);
	CHECK_INT(money_parse_yuan("1,25", 0, &f), -1);
	CHECK_INT(money_parse_yuan("12,50.0", 0, &f), -1);
	CHECK_INT(money_parse_yuan("", 0, &f), -1);
	CHECK_INT(money_parse_yuan(".5", 0, &f), -1);
	CHECK_INT(money_parse_yuan("1e3", 0, &f), -1);
	CHECK_INT(money_parse_yuan("99999999999999999999", 0, &f), -1);
	CHECK_INT(money_parse_yuan("' OR 1=1 --", 0, &f), -1);
	/* every fen amount survives format -> parse */
	int ok = 1;
	for (int64_t v = 0; v < 200000; v += 7) {
		money_format_yuan(v, s, sizeof s);
		if (money_parse_yuan(s, 0, &f) != 0 || f != v)
			ok = 0;
	}
	CHECK(ok);
}

static void test_dates_masks(void)
{
	char s[64];
	CHECK_INT(date_format_cn("2025-03-05", 0, s, sizeof s), 0);
	CHECK_STR(s, "2025年3月5日");
	CHECK_INT(date_format_cn("2025-03-05 14:03:09", 1, s, sizeof s), 0);
	CHECK_STR(s, "2025年3月5日 14:03");
	CHECK_INT(date_format_cn("2025-02-30", 0, s, sizeof s), -1);
	CHECK_STR(s, "2025-02-30");
	CHECK_INT(date_format_cn("<b>", 0, s, sizeof s), -1);
	/* only exactly YYYY-MM-DD; a time only as two-digit HH:MM */
	CHECK_INT(date_format_cn("2025-3-05", 0, s, sizeof s), -1);
	CHECK_INT(date_format_cn("2025- 3-05", 0, s, sizeof s), -1);
	CHECK_INT(date_format_cn("+025-03-05", 0, s, sizeof s), -1);
	CHECK_INT(date_format_cn("2025-03-0", 0, s, sizeof s), -1);
	CHECK_INT(date_format_cn("", 0, s, sizeof s), -1);
	CHECK_STR(s, "");
	CHECK_INT(date_format_cn(NULL, 0, s, sizeof s), -1);
	CHECK_INT(date_format_cn("2024-02-29T08:05:00", 1, s, sizeof s), 0);
	CHECK_STR(s, "2024年2月29日 08:05");
	CHECK_INT(date_format_cn("2025-12-31T9:05", 1, s, sizeof s), 0);
	CHECK_STR(s, "2025年12月31日");
	CHECK_INT(date_format_cn("2025-12-31 23:5", 1, s, sizeof s), 0);
	CHECK_STR(s, "2025年12月31日");
	CHECK_INT(date_format_cn("2025-12-31T23:59", 0, s, sizeof s), 0);
	CHECK_STR(s, "2025年12月31日");
	CHECK_INT(date_format_cn("2025-01-01x", 1, s, sizeof s), 0);
	CHECK_STR(s, "2025年1月1日");
	char d11[11];
	/* 2026-11-23 is a Monday: 5 working days end on Friday the 27th */
	CHECK_INT(add_working_days("2026-11-23", 5, d11), 0);
	CHECK_STR(d11, "2026-11-27");
	/* from a Saturday: Monday is day 1 */
	CHECK_INT(add_working_days("2026-11-28", 5, d11), 0);
	CHECK_STR(d11, "2026-12-04");
	CHECK_INT(add_working_days("2026-11-26", 7, d11), 0);
	CHECK_STR(d11, "2026-12-04");
	CHECK_INT(add_days("2026-12-30", 3, d11), 0);
	CHECK_STR(d11, "2027-01-02");
	CHECK_INT(add_days("2024-03-01", -1, d11), 0);
	CHECK_STR(d11, "2024-02-29");
	CHECK_INT(add_days("2026-02-30", 1, d11), -1);
	mask_idcard("11010519491231002X", s, sizeof s);
	CHECK_STR(s, "110105********002X");
	mask_idcard("123", s, sizeof s);
	CHECK_STR(s, "***");
	mask_idcard("G410303201402052149", s, sizeof s);
	CHECK_STR(s, "G41030********2149");
	mask_idcard("621700001111", s, sizeof s);
	CHECK_STR(s, "621700********1111");
	mask_account("6217000011112222333", s, sizeof s);
	CHECK_STR(s, "********2333");
	json_t *rec = json_pack("{s:s, s:[{s:s, s:s}]}", "idcard", "11010519491231002X", "members", "phone",
				"13812345678", "account_no", "6217000011112222333");
	mask_json(rec, 0);
	char *dump = json_dumps(rec, JSON_COMPACT);
	CHECK(strstr(dump, "11010519491231002X") == NULL && strstr(dump, "13812345678") == NULL &&
	      strstr(dump, "6217000011112222333") == NULL && strstr(dump, "110105********002X") != NULL);
	free(dump);
	json_decref(rec);
	mask_phone("13812345678", s, sizeof s);
	CHECK_STR(s, "138****5678");
	mask_name("张小明", s, sizeof s);
	CHECK_STR(s, "张*明");
	mask_name("张三", s, sizeof s);
	CHECK_STR(s, "张*");
	mask_name("欧阳小明", s, sizeof s);
	CHECK_STR(s, "欧**明");
	mask_name("李", s, sizeof s);
	CHECK_STR(s, "李");
	mask_name("", s, sizeof s);
	CHECK_STR(s, "");
	mask_name("𠀀𠀁𠀂", s, sizeof s);
	CHECK_STR(s, "𠀀*𠀂");
}

int main(void)
{
	test_idcard();
	test_money();
	test_dates_masks();
	TEST_MAIN_END();
}
