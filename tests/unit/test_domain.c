/* Tests for the domain rules: 身份证号 check, money/date/mask formats and
 * the roster entry rules. */
#include "domain/format.h"
#include "domain/idcard.h"
#include "domain/student.h"
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

/* The fields of a student_row as "key=msg;" in the order found. */
static const char *row_msgs(const student_row *r, char *out, size_t n)
{
	size_t k = 0;
	out[0] = '\0';
	for (int i = 0; i < r->nmsg && k < n; i++)
		k += (size_t)snprintf(out + k, n - k, "%s=%s;", STUDENT_FIELDS[r->order[i]].key,
				      r->msg[r->order[i]]);
	return out;
}

/* The same for a JSON errors object, in its order. */
static const char *json_msgs(json_t *errors, char *out, size_t n)
{
	size_t k = 0;
	const char *key;
	json_t *m;
	out[0] = '\0';
	json_object_foreach(errors, key, m)
		if (k < n)
			k += (size_t)snprintf(out + k, n - k, "%s=%s;", key, json_string_value(m));
	return out;
}

/* student_check_row() and student_check() on the same entry: the same
 * values afterwards and the same problems in the same order. */
static void check_both(const char *const v[SF_COUNT], const char *preset_idcard, int want_n)
{
	student_row r;
	memset(&r, 0, sizeof r);
	json_t *o = json_object(), *errors = json_object();
	for (int i = 0; i < SF_COUNT; i++) {
		r.v[i] = v[i];
		if (v[i])
			json_object_set_new(o, STUDENT_FIELDS[i].key, json_string(v[i]));
	}
	if (preset_idcard) {
		r.msg[SF_IDCARD] = preset_idcard;
		r.order[r.nmsg++] = SF_IDCARD;
		json_object_set_new(errors, "idcard", json_string(preset_idcard));
	}
	CHECK_INT(student_check_row(&r, 20261123), want_n);
	CHECK_INT(student_check(o, errors, 20261123), want_n);
	for (int i = 0; i < SF_COUNT; i++)
		CHECK_STR(r.v[i], json_string_value(json_object_get(o, STUDENT_FIELDS[i].key)));
	char a[2048], b[2048];
	CHECK_STR(row_msgs(&r, a, sizeof a), json_msgs(errors, b, sizeof b));
	json_decref(o);
	json_decref(errors);
}

static void test_student(void)
{
	CHECK_STR(STUDENT_FIELDS[SF_IDCARD].key, "idcard");
	CHECK_STR(STUDENT_FIELDS[SF_BANK].key, "bank");

	/* a good entry, normalised */
	const char *good[SF_COUNT] = {"张三", "女", "11010519491231002x", NULL, "小学", "三年级", "2班",
				      "寄宿", "城", NULL, "0379-1234567", "资助卡", "6228480012345678", NULL};
	student_row r;
	memset(&r, 0, sizeof r);
	memcpy(r.v, good, sizeof good);
	CHECK_INT(student_check_row(&r, 20261123), 0);
	CHECK_INT(r.nmsg, 0);
	CHECK_STR(r.v[SF_IDCARD], "11010519491231002X");
	CHECK_STR(r.v[SF_STAGE], "primary");
	CHECK_STR(r.v[SF_BOARDING], "1");
	CHECK_STR(r.v[SF_HUKOU], "城镇");
	CHECK_STR(r.v[SF_XUEJI_NO], "");
	check_both(good, NULL, 0);

	/* many problems: each field's first one, in the order of the rules */
	const char *bad[SF_COUNT] = {"", "男", "11010519491231002X", "学籍-1", "大学预科", "", "一\x01班",
				     "住校", "海外", "<script>", "12345", NULL, "12", "' OR 1=1 --"};
	memset(&r, 0, sizeof r);
	memcpy(r.v, bad, sizeof bad);
	CHECK_INT(student_check_row(&r, 20261123), 11);
	char m[2048];
	CHECK_STR(row_msgs(&r, m, sizeof m),
		  "name=请填写姓名。;"
		  "gender=性别与身份证号第 17 位不一致（奇数为男，偶数为女），请核对。;"
		  "xueji_no=学籍号只能包含字母和数字，最多 32 位。;"
		  "stage=请选择学段：学前、小学、初中、普通高中 或 中职。;"
		  "grade=请填写年级。;"
		  "class_name=含有不可见的控制字符，请重新输入。;"
		  "boarding=就读方式请填 走读 或 寄宿。;"
		  "hukou=户籍请填 城镇 或 农村。;"
		  "phone=联系电话只能填数字和 -，如 13812345678 或 0379-12345678。;"
		  "account_no=账号应为 8-30 位数字；若 Excel 显示为科学计数法，请把该列设为文本后重新录入。;"
		  "account_type=填写了账号，请同时选择账户类型。;");
	CHECK_STR(r.v[SF_IDCARD], "11010519491231002X");
	check_both(bad, NULL, 11);

	/* a problem the caller found first is the one kept, and still first */
	const char *sci[SF_COUNT] = {"李四", "女", "1.10105E+17", NULL, "初中", "七年级", "1班"};
	memset(&r, 0, sizeof r);
	memcpy(r.v, sci, sizeof sci);
	r.msg[SF_IDCARD] = "科学计数法";
	r.order[r.nmsg++] = SF_IDCARD;
	CHECK_INT(student_check_row(&r, 20261123), 1);
	CHECK_STR(row_msgs(&r, m, sizeof m), "idcard=科学计数法;");
	CHECK_STR(r.v[SF_IDCARD], "1.10105E+17");
	check_both(sci, "科学计数法", 1);

	/* nothing at all */
	const char *none[SF_COUNT] = {0};
	check_both(none, NULL, 6);
}

int main(void)
{
	test_idcard();
	test_money();
	test_dates_masks();
	test_student();
	TEST_MAIN_END();
}
