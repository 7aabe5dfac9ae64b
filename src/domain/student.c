/* student.c - roster entry rules. */
#include "student.h"
#include "format.h"
#include "idcard.h"
#include <string.h>

const student_field STUDENT_FIELDS[] = {
	{"name", "姓名", "必填", 1},
	{"gender", "性别", "必填：男 或 女，须与身份证号一致", 1},
	{"idcard", "身份证号", "必填：18 位，请把本列设为“文本”格式，以免 Excel 改成科学计数法", 1},
	{"xueji_no", "学籍号", "选填：全国学籍号", 0},
	{"stage", "学段", "必填：学前、小学、初中、普通高中 或 中职", 1},
	{"grade", "年级", "必填：如 一年级、七年级、高一、中班", 1},
	{"class_name", "班级", "必填：如 2班", 1},
	{"boarding", "就读方式", "走读 或 寄宿，空着按走读", 0},
	{"hukou", "户籍", "城镇 或 农村", 0},
	{"guardian", "监护人", "选填", 0},
	{"phone", "联系电话", "选填：手机或固定电话", 0},
	{"account_type", "账户类型", "资助卡 或 社保卡", 0},
	{"account_no", "账号", "资助卡或社保卡卡号，请设为文本格式", 0},
	{"bank", "开户银行", "选填", 0},
};
const int STUDENT_FIELD_COUNT = (int)(sizeof STUDENT_FIELDS / sizeof STUDENT_FIELDS[0]);

const char *stage_code(const char *s)
{
	static const char *const map[][2] = {
		{"preschool", "preschool"}, {"学前", "preschool"},    {"学前教育", "preschool"},
		{"幼儿园", "preschool"},    {"primary", "primary"},     {"小学", "primary"},
		{"junior", "junior"},       {"初中", "junior"},         {"senior", "senior"},
		{"高中", "senior"},         {"普通高中", "senior"},     {"vocational", "vocational"},
		{"中职", "vocational"},     {"中等职业教育", "vocational"}, {"higher", "higher"},
		{"高等教育", "higher"},     {"大学", "higher"},
	};
	for (size_t i = 0; s && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(s, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

static const char *get(json_t *s, const char *k)
{
	const char *v = json_string_value(json_object_get(s, k));
	return v ? v : "";
}

static void set(json_t *s, const char *k, const char *v)
{
	json_object_set_new(s, k, json_string(v));
}

static int err(json_t *errors, const char *k, const char *msg)
{
	if (!json_object_get(errors, k))
		json_object_set_new(errors, k, json_string(msg));
	return 1;
}

/* Plain text of at most max characters, no control characters. */
static int text_ok(json_t *s, json_t *errors, const char *k, size_t max, const char *what)
{
	const char *v = get(s, k);
	if (has_control(v))
		return err(errors, k, "含有不可见的控制字符，请重新输入。");
	if (utf8_chars(v) > max) {
		(void)what;
		return err(errors, k, "内容过长，请删减。");
	}
	return 0;
}

int student_check(json_t *s, json_t *errors, int today)
{
	int n = 0;
	/* make every field a string, trimmed by the caller */
	for (int i = 0; i < STUDENT_FIELD_COUNT; i++)
		if (!json_is_string(json_object_get(s, STUDENT_FIELDS[i].key)))
			set(s, STUDENT_FIELDS[i].key, "");

	const char *name = get(s, "name");
	if (!*name)
		n += err(errors, "name", "请填写姓名。");
	else
		n += text_ok(s, errors, "name", 32, "姓名");

	char id[19];
	idcard_result ir = idcard_check(get(s, "idcard"), today, id);
	if (ir != IDCARD_OK)
		n += err(errors, "idcard", idcard_message(ir));
	else
		set(s, "idcard", id);

	const char *g = get(s, "gender");
	if (strcmp(g, "男") != 0 && strcmp(g, "女") != 0)
		n += err(errors, "gender", "请选择性别：男 或 女。");
	else if (ir == IDCARD_OK && (strcmp(g, "男") == 0) != idcard_is_male(id))
		n += err(errors, "gender", "性别与身份证号第 17 位不一致（奇数为男，偶数为女），请核对。");

	const char *xj = get(s, "xueji_no");
	if (strlen(xj) > 32 || strspn(xj, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") != strlen(xj))
		n += err(errors, "xueji_no", "学籍号只能包含字母和数字，最多 32 位。");

	const char *st = stage_code(get(s, "stage"));
	if (!st)
		n += err(errors, "stage", "请选择学段：学前、小学、初中、普通高中 或 中职。");
	else
		set(s, "stage", st);

	if (!*get(s, "grade"))
		n += err(errors, "grade", "请填写年级。");
	else
		n += text_ok(s, errors, "grade", 16, "年级");
	if (!*get(s, "class_name"))
		n += err(errors, "class_name", "请填写班级。");
	else
		n += text_ok(s, errors, "class_name", 16, "班级");

	const char *b = get(s, "boarding");
	if (!*b || strcmp(b, "0") == 0 || strcmp(b, "走读") == 0 || strcmp(b, "否") == 0)
		set(s, "boarding", "0");
	else if (strcmp(b, "1") == 0 || strcmp(b, "寄宿") == 0 || strcmp(b, "是") == 0)
		set(s, "boarding", "1");
	else
		n += err(errors, "boarding", "就读方式请填 走读 或 寄宿。");

	const char *h = get(s, "hukou");
	if (strcmp(h, "城") == 0 || strcmp(h, "城镇") == 0 || strcmp(h, "城市") == 0)
		set(s, "hukou", "城镇");
	else if (strcmp(h, "乡") == 0 || strcmp(h, "农村") == 0 || strcmp(h, "乡村") == 0)
		set(s, "hukou", "农村");
	else if (*h)
		n += err(errors, "hukou", "户籍请填 城镇 或 农村。");

	n += text_ok(s, errors, "guardian", 32, "监护人");
	const char *p = get(s, "phone");
	if (*p && (strlen(p) < 7 || strlen(p) > 20 || strspn(p, "0123456789-") != strlen(p)))
		n += err(errors, "phone", "联系电话只能填数字和 -，如 13812345678 或 0379-12345678。");

	const char *at = get(s, "account_type");
	const char *an = get(s, "account_no");
	if (*at && strcmp(at, "资助卡") != 0 && strcmp(at, "社保卡") != 0)
		n += err(errors, "account_type", "账户类型请选 资助卡 或 社保卡。");
	if (*an && (strlen(an) < 8 || strlen(an) > 30 || strspn(an, "0123456789") != strlen(an)))
		n += err(errors, "account_no", "账号应为 8-30 位数字；若 Excel 显示为科学计数法，请把该列设为文本后重新录入。");
	if (*an && !*at)
		n += err(errors, "account_type", "填写了账号，请同时选择账户类型。");
	if (*at && !*an)
		n += err(errors, "account_no", "选择了账户类型，请同时填写账号。");
	n += text_ok(s, errors, "bank", 64, "开户银行");
	return n;
}

const char *app_status_label(const char *s)
{
	static const char *const map[][2] = {
		{"draft", "草稿"},          {"submitted", "已提交"},         {"withdrawn", "已撤回"},
		{"returned", "已退回修改"}, {"class_reviewed", "班级已评议"}, {"school_reviewed", "学校已审核"},
		{"approved", "已批准"},     {"rejected", "未通过"},
	};
	for (size_t i = 0; s && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(s, map[i][0]) == 0)
			return map[i][1];
	return s ? s : "";
}
