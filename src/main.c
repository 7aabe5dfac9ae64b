/* main.c - the zizhu command: one binary, one subcommand per job.
 * Exit codes: 0 done, 1 the job failed (message on stderr), 2 wrong usage. */
#include "app/app.h"
#include "cli/cli.h"
#include "db/db.h"
#include "db/queries.h"
#include "domain/idcard.h"
#include "domain/ledger.h"
#include "http/server.h"
#include "tmpl/template.h"
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_DB "var/zizhu.db"

static const char USAGE[] =
	"用法: zizhu <命令> [选项]\n"
	"\n"
	"命令:\n"
	"  serve      启动 FastCGI 服务（多个工作进程，SIGTERM 平稳退出）\n"
	"  init       新建数据库并建表（已存在则只做迁移）\n"
	"  migrate    把数据库升级到本程序的版本\n"
	"  org add    添加市、区或学校\n"
	"  user add   添加用户（密码从标准输入读一行）\n"
	"  demo       向空数据库写入演示数据并列出演示账号\n"
	"  backup     在线备份数据库到新文件\n"
	"  idcard     校验身份证号\n"
	"  verify-ledger  校验发放台账的哈希链，报告第一条被改动的记录\n"
	"  routes     列出全部路由及允许的角色（供访问控制测试使用）\n"
	"\n"
	"每个命令都接受 --help。数据库路径: --db PATH，或环境变量 ZIZHU_DB（默认 " DEFAULT_DB "）。\n"
	"退出码: 0 成功, 1 执行失败, 2 用法错误。\n";

static const char *db_path(const char *opt)
{
	if (opt)
		return opt;
	const char *e = getenv("ZIZHU_DB");
	return e && *e ? e : DEFAULT_DB;
}

static db_t *open_checked(const char *path)
{
	char err[512];
	db_t *db = db_open(path, 0, err, sizeof err);
	if (!db) {
		fprintf(stderr, "zizhu: %s\n", err);
		return NULL;
	}
	if (db_check_version(db, err, sizeof err) != 0) {
		fprintf(stderr, "zizhu: %s\n", err);
		db_close(db);
		return NULL;
	}
	return db;
}

/* Parse --name value options into vals (by index of names). Returns 0,
 * 1 for --help, 2 for a usage error. */
static int parse_opts(int argc, char **argv, const char *const *names, const char **vals)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
		int found = 0;
		for (int k = 0; names[k]; k++) {
			size_t n = strlen(names[k]);
			if (strncmp(argv[i], "--", 2) != 0 || strncmp(argv[i] + 2, names[k], n) != 0)
				continue;
			if (argv[i][2 + n] == '=') {
				vals[k] = argv[i] + 3 + n;
				found = 1;
			} else if (argv[i][2 + n] == '\0' && i + 1 < argc) {
				vals[k] = argv[++i];
				found = 1;
			}
			if (found)
				break;
		}
		if (!found) {
			fprintf(stderr, "zizhu: 无法识别的参数 %s（用 --help 查看用法）\n", argv[i]);
			return 2;
		}
	}
	return 0;
}

static int cmd_serve(int argc, char **argv)
{
	static const char *const names[] = {"db", "socket", "workers", "templates", "socket-group",
					    "max-body-mb", "session-idle-min", "public-dir", NULL};
	const char *v[9] = {0};
	int rc = parse_opts(argc, argv, names, v);
	if (rc == 1) {
		puts("用法: zizhu serve [--db PATH] [--socket PATH] [--workers N] [--templates DIR]\n"
		     "                   [--socket-group GROUP] [--max-body-mb N] [--session-idle-min N]\n"
		     "                   [--public-dir DIR]\n"
		     "在 unix 套接字上提供 FastCGI 服务（systemd 套接字激活时使用传入的套接字）。\n"
		     "--public-dir: 已发布公示的页面写成文件放在此目录，由 nginx 直接提供（见 README）。\n"
		     "默认: --socket var/zizhu.sock --workers 4 --templates templates --max-body-mb 20\n"
		     "      --session-idle-min 120。SIGTERM/SIGINT: 处理完手头的请求后退出。");
		return 0;
	}
	if (rc)
		return 2;
	config_t cfg = {
		.db_path = db_path(v[0]),
		.socket_path = v[1] ? v[1] : "var/zizhu.sock",
		.workers = v[2] ? atoi(v[2]) : 4,
		.templates_dir = v[3] ? v[3] : (getenv("ZIZHU_TEMPLATES") ? getenv("ZIZHU_TEMPLATES") : "templates"),
		.socket_group = v[4],
		.max_body = (size_t)(v[5] ? atol(v[5]) : 20) * 1024 * 1024,
		.session_idle = (v[6] ? atol(v[6]) : 120) * 60,
		.session_max = 12 * 3600,
		.public_dir = v[7],
	};
	if (cfg.workers < 1 || cfg.workers > 64 || cfg.max_body == 0 || cfg.session_idle <= 0) {
		fprintf(stderr, "zizhu: --workers 须在 1-64 之间，--max-body-mb 与 --session-idle-min 须为正数\n");
		return 2;
	}
	db_t *db = open_checked(cfg.db_path);
	if (!db)
		return 1;
	char err[512];
	if (db_prepare_all(db, err, sizeof err) != 0) {
		fprintf(stderr, "zizhu: %s\n", err);
		db_close(db);
		return 1;
	}
	db_close(db);
	tmpl_set *t = tmpl_load(cfg.templates_dir, err, sizeof err);
	if (!t) {
		fprintf(stderr, "zizhu: 模板错误: %s\n", err);
		return 1;
	}
	rc = server_run(&cfg, t, app_worker_init, app_handle);
	tmpl_free(t);
	return rc;
}

static int cmd_init(int argc, char **argv, int create)
{
	static const char *const names[] = {"db", NULL};
	const char *v[2] = {0};
	int rc = parse_opts(argc, argv, names, v);
	if (rc == 1) {
		printf("用法: zizhu %s [--db PATH]\n%s\n", create ? "init" : "migrate",
		       create ? "新建数据库文件（及其目录中的 WAL 文件）并应用全部迁移；已存在的数据库只做迁移。"
			      : "应用尚未应用的 sql/NNN_*.sql 迁移，每个迁移一个事务。");
		return 0;
	}
	if (rc)
		return 2;
	char err[512];
	db_t *db = db_open(db_path(v[0]), create, err, sizeof err);
	if (!db) {
		fprintf(stderr, "zizhu: %s\n", err);
		return 1;
	}
	int n = db_migrate(db, err, sizeof err);
	if (n < 0) {
		fprintf(stderr, "zizhu: %s\n", err);
		db_close(db);
		return 1;
	}
	printf("数据库 %s：应用了 %d 个迁移，当前版本 %d。\n", db_path(v[0]), n, db_version(db));
	db_close(db);
	return 0;
}

static int read_password(char *out, size_t n)
{
	if (!fgets(out, (int)n, stdin))
		return -1;
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static int cmd_org(int argc, char **argv)
{
	static const char *const names[] = {"db", "kind", "name", "code", "parent", "stage", NULL};
	const char *v[7] = {0};
	if (argc < 1 || strcmp(argv[0], "add") != 0) {
		fprintf(stderr, "用法: zizhu org add --kind city|district|school --name 名称 --code 代码 "
				"[--parent 上级代码] [--stage 学段]\n");
		return 2;
	}
	int rc = parse_opts(argc - 1, argv + 1, names, v);
	if (rc == 1) {
		puts("用法: zizhu org add [--db PATH] --kind city|district|school --name 名称 --code 代码\n"
		     "                    [--parent 上级代码] [--stage preschool|primary|junior|senior|vocational]\n"
		     "区的上级是市，学校的上级是区；学校须给出主要学段。");
		return 0;
	}
	if (rc)
		return 2;
	db_t *db = open_checked(db_path(v[0]));
	if (!db)
		return 1;
	char err[512];
	long long id = cli_org_add(db, v[1], v[2], v[3], v[4], v[5], err, sizeof err);
	db_close(db);
	if (id < 0) {
		fprintf(stderr, "zizhu: %s\n", err);
		return 1;
	}
	printf("已添加单位 %s（编号 %lld）。\n", v[2], id);
	return 0;
}

static int cmd_user(int argc, char **argv)
{
	static const char *const names[] = {"db", "username", "name", "role", "org", NULL};
	const char *v[6] = {0};
	if (argc < 1 || strcmp(argv[0], "add") != 0) {
		fprintf(stderr, "用法: zizhu user add --username 用户名 --name 姓名 --role 角色 --org 单位代码\n");
		return 2;
	}
	int rc = parse_opts(argc - 1, argv + 1, names, v);
	if (rc == 1) {
		puts("用法: zizhu user add [--db PATH] --username 用户名 --name 姓名 --role 角色 --org 单位代码\n"
		     "密码从标准输入读取一行（不出现在命令行和进程列表中）。\n"
		     "角色: city_viewer district_reviewer district_admin school_officer committee_member");
		return 0;
	}
	if (rc)
		return 2;
	char pw[300];
	if (read_password(pw, sizeof pw) != 0) {
		fprintf(stderr, "zizhu: 请从标准输入给出密码\n");
		return 2;
	}
	db_t *db = open_checked(db_path(v[0]));
	if (!db)
		return 1;
	char err[512];
	long long id = cli_user_add(db, v[1], v[2], v[3], v[4], pw, err, sizeof err);
	sodium_memzero(pw, sizeof pw);
	db_close(db);
	if (id < 0) {
		fprintf(stderr, "zizhu: %s\n", err);
		return 1;
	}
	printf("已添加用户 %s（编号 %lld）。\n", v[1], id);
	return 0;
}

static int cmd_demo(int argc, char **argv)
{
	static const char *const names[] = {"db", "students", "seed", "scale", "history", NULL};
	const char *v[6] = {0};
	int rc = parse_opts(argc, argv, names, v);
	if (rc == 1) {
		puts("用法: zizhu demo [--db PATH] [--students N] [--seed S]\n"
		     "       zizhu demo --scale N [--history T] [--db PATH] [--seed S]\n"
		     "数据库中还没有任何单位时，写入演示城市（两个区、各学段学校、每个角色一个用户、\n"
		     "N 名学生，默认 360）；已有数据时不写入。两种情况都列出演示账号。\n"
		     "--scale N: 基准测试用的全市数据：14 个区县、N 名学生、两个学年的申请、评审、资助、\n"
		     "发放与台账，以及 T 个学期（默认 17）的历史资助记录。须用新建的空数据库。");
		return 0;
	}
	if (rc)
		return 2;
	if (v[3]) {
		long scale = atol(v[3]);
		int hist = v[4] ? atoi(v[4]) : 17;
		if (scale < 1000 || scale > 5000000 || hist < 0 || hist > 40) {
			fprintf(stderr, "zizhu: --scale 须在 1000-5000000 之间，--history 须在 0-40 之间\n");
			return 2;
		}
		db_t *db = open_checked(db_path(v[0]));
		if (!db)
			return 1;
		char err[512];
		rc = demo_scale(db, scale, hist, v[2] ? (unsigned)strtoul(v[2], NULL, 10) : 2025, err, sizeof err);
		if (rc != 0)
			fprintf(stderr, "zizhu: %s\n", rc < 0 ? err : "数据库中已有数据：--scale 须用新建的空数据库。");
		else
			printf("已写入基准数据（%ld 名学生，%d 个历史学期）。\n", scale, hist);
		db_close(db);
		return rc == 0 ? 0 : 1;
	}
	int n = v[1] ? atoi(v[1]) : 360;
	if (n < 0 || n > 2000000) {
		fprintf(stderr, "zizhu: --students 须在 0-2000000 之间\n");
		return 2;
	}
	db_t *db = open_checked(db_path(v[0]));
	if (!db)
		return 1;
	char err[512];
	rc = demo_fill(db, n, v[2] ? (unsigned)strtoul(v[2], NULL, 10) : 2025, err, sizeof err);
	if (rc < 0) {
		fprintf(stderr, "zizhu: %s\n", err);
		db_close(db);
		return 1;
	}
	printf(rc == 0 ? "已写入演示数据（%d 名学生）。\n" : "数据库中已有数据，未写入演示数据。\n", n);
	demo_print_users(db);
	db_close(db);
	return 0;
}

static int cmd_backup(int argc, char **argv)
{
	static const char *const names[] = {"db", NULL};
	const char *v[2] = {0};
	const char *file = NULL;
	if (argc >= 1 && strncmp(argv[0], "--", 2) != 0) {
		file = argv[0];
		argc--;
		argv++;
	}
	int rc = parse_opts(argc, argv, names, v);
	if (rc == 1) {
		puts("用法: zizhu backup FILE [--db PATH]\n用 SQLite 在线备份把整个数据库复制到新文件 FILE（服务运行中也可以）。");
		return 0;
	}
	if (rc || !file) {
		fprintf(stderr, "用法: zizhu backup FILE [--db PATH]\n");
		return 2;
	}
	db_t *db = open_checked(db_path(v[0]));
	if (!db)
		return 1;
	char err[512];
	rc = db_backup(db, file, err, sizeof err);
	db_close(db);
	if (rc) {
		fprintf(stderr, "zizhu: %s\n", err);
		return 1;
	}
	printf("已备份到 %s。\n", file);
	return 0;
}

static int cmd_verify_ledger(int argc, char **argv)
{
	static const char *const names[] = {"db", NULL};
	const char *v[2] = {0};
	int rc = parse_opts(argc, argv, names, v);
	if (rc == 1) {
		puts("用法: zizhu verify-ledger [--db PATH]\n从第一条起重新计算发放台账的哈希链。完整时退出码 0；"
		     "发现被改动的记录时报告它的编号，退出码 1。");
		return 0;
	}
	if (rc)
		return 2;
	db_t *db = open_checked(db_path(v[0]));
	if (!db)
		return 1;
	int64_t bad = 0;
	long n = ledger_verify(db, &bad);
	/* the reconciliation totals the 台账 page reads, against the payment rows */
	sqlite3_stmt *k = db_stmt(db, Q_RECONCILE_CHECK);
	long off = sqlite3_step(k) == SQLITE_ROW ? (long)sqlite3_column_int64(k, 0) : -1;
	sqlite3_reset(k);
	db_close(db);
	if (n < 0 || off < 0) {
		fprintf(stderr, "zizhu: 无法读取台账\n");
		return 1;
	}
	if (off)
		printf("发放汇总有 %ld 处与付款记录不符：汇总表被改动过。\n", off);
	if (bad) {
		printf("台账第 %lld 号记录与哈希链不符：该记录被改动过（已检查 %ld 条）。\n", (long long)bad, n);
		return 1;
	}
	if (off)
		return 1;
	printf("台账共 %ld 条，哈希链完整；发放汇总与付款记录相符。\n", n);
	return 0;
}

/* The route table as text: method, pattern, the roles allowed (or
 * "public"), flags and name, one route a line. The access-control test
 * reads it, so every route is tested. */
static int cmd_routes(int argc, char **argv)
{
	if (argc > 0 && strcmp(argv[0], "--help") == 0) {
		puts("用法: zizhu routes\n每行一条路由：方法、路径、允许的角色（public 表示无需登录）、标志、名称，以制表符分隔。");
		return 0;
	}
	for (size_t i = 0; i < ROUTE_COUNT; i++) {
		const route_t *r = &ROUTES[i];
		printf("%s\t%s\t", r->method, r->pattern);
		if (r->flags & R_PUBLIC) {
			fputs("public", stdout);
		} else {
			int first = 1;
			for (int k = 0; ROLE_CODES[k]; k++)
				if (r->roles & role_bit(ROLE_CODES[k])) {
					printf("%s%s", first ? "" : ",", ROLE_CODES[k]);
					first = 0;
				}
		}
		printf("\t%s\t%s\n", (r->flags & R_ANON_CSRF) ? "anon_csrf" : "-", r->name);
	}
	return 0;
}

static int cmd_idcard(int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "--help") == 0) {
		puts("用法: zizhu idcard 身份证号...\n逐个校验（GB 11643 校验位、出生日期），全部有效时退出码为 0。");
		return argc < 1 ? 2 : 0;
	}
	int bad = 0;
	for (int i = 0; i < argc; i++) {
		char norm[19];
		idcard_result r = idcard_check(argv[i], today_yyyymmdd(), norm);
		printf("%s\t%s\n", argv[i], r == IDCARD_OK ? "有效" : idcard_message(r));
		bad |= r != IDCARD_OK;
	}
	return bad;
}

int main(int argc, char **argv)
{
	/* Every process (the CLI, each worker) is one thread with its own
	 * connections: SQLite needs no mutexes, and no count of its memory,
	 * which took a lock around every allocation. Must precede any use. */
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (sodium_init() < 0) {
		fprintf(stderr, "zizhu: libsodium 初始化失败\n");
		return 1;
	}
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(USAGE, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *cmd = argv[1];
	argc -= 2;
	argv += 2;
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc, argv);
	if (strcmp(cmd, "init") == 0)
		return cmd_init(argc, argv, 1);
	if (strcmp(cmd, "migrate") == 0)
		return cmd_init(argc, argv, 0);
	if (strcmp(cmd, "org") == 0)
		return cmd_org(argc, argv);
	if (strcmp(cmd, "user") == 0)
		return cmd_user(argc, argv);
	if (strcmp(cmd, "demo") == 0)
		return cmd_demo(argc, argv);
	if (strcmp(cmd, "backup") == 0)
		return cmd_backup(argc, argv);
	if (strcmp(cmd, "idcard") == 0)
		return cmd_idcard(argc, argv);
	if (strcmp(cmd, "routes") == 0)
		return cmd_routes(argc, argv);
	if (strcmp(cmd, "verify-ledger") == 0)
		return cmd_verify_ledger(argc, argv);
	fprintf(stderr, "zizhu: 未知命令 %s\n\n%s", cmd, USAGE);
	return 2;
}
