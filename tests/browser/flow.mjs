// The main flow as people do it, in Debian's headless Chromium driven by
// playwright-core: an officer signs in and imports a roster, enters and
// submits an application; the committee votes; the officer closes the
// class review, decides, publishes the 公示; a parent reads it on a phone;
// the period passes; the list goes to the district, which approves it and
// pays. A screenshot of each step is kept in $SHOTS. Prints
// "N passed, N failed".
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const BASE = process.env.BASE;
const DB = process.env.DB;
const PW = process.env.PW || 'zizhu-demo-2025';
const SHOTS = process.env.SHOTS || '/tmp/zizhu-shots';
const FIXTURE = process.env.FIXTURE;
mkdirSync(SHOTS, { recursive: true });

let passed = 0, failed = 0, step = 0;
function check(what, ok) {
	if (ok) passed++;
	else { failed++; console.log(`FAIL: ${what}`); }
}
// see: the page now shows NEEDLE; if not, say what it shows instead
async function see(page, what, needle) {
	const body = await page.textContent('body');
	check(what, body.includes(needle));
	if (!body.includes(needle))
		console.log(`  ${page.url()}: ${((await page.textContent('main').catch(() => '')) || '').replace(/\s+/g, ' ').slice(0, 400)}`);
}
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', DB, q]).toString().trim();

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
		'--disable-component-update', '--disable-sync'],
});

let last = null; // the page of the last person to act, shown if the flow breaks
async function person(user, viewport = { width: 1280, height: 900 }) {
	const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
	const page = await ctx.newPage();
	page.on('load', () => { last = page; });
	page.on('dialog', (d) => d.accept()); // the data-confirm questions
	page.on('pageerror', (e) => check(`no script error on the page (${e.message})`, false));
	if (user) {
		await page.goto(`${BASE}/login`);
		await page.fill('#username', user);
		await page.fill('#password', user === 'xg_committee2' ? 'cmte-pass-2025' : PW);
		await Promise.all([page.waitForURL(`${BASE}/`), page.click('form[action="/login"] button[type=submit]')]);
	}
	return page;
}
async function shot(page, name) {
	step++;
	await page.screenshot({ path: `${SHOTS}/${String(step).padStart(2, '0')}-${name}.png`, fullPage: true });
}
const text = (page) => page.textContent('body');

try {
	const school = sql("select id from org where code='4103030002'");
	const term = sql("select id from term where code='2026-autumn'");
	const prog = sql("select id from programme where code='cmp_nonboard'");
	const cat = sql("select id from difficulty_category where code='dibao' and district_id is null");

	// 0. the district registers the money allocated and the school's places
	const admin = await person('xg_admin');
	await admin.goto(`${BASE}/settings/quotas?term=${term}`);
	await admin.fill(`input[name=a${prog}]`, '500000.00');
	await admin.fill(`input[name=d${prog}]`, '洛财教〔2026〕18号');
	await admin.fill(`input[name=q${school}_${prog}]`, '200');
	await Promise.all([admin.waitForNavigation(), admin.click('form.form button[type=submit]')]);
	check('the allocation is registered', sql(`select amount_fen from allocation where term_id=${term} and programme_id=${prog}`) === '50000000');
	check('the places are registered', sql(`select places from quota where term_id=${term} and school_id=${school} and programme_id=${prog}`) === '200');
	await shot(admin, 'allocation');

	// 1. the officer signs in and imports a roster
	const officer = await person('xg_officer');
	await see(officer, 'officer home', '西工区实验小学');
	await shot(officer, 'officer-home');
	await officer.goto(`${BASE}/roster/import`);
	await officer.setInputFiles('#file', FIXTURE);
	await Promise.all([officer.waitForURL(/\/roster\/import\/\d+$/), officer.click('button:has-text("上传并检查")')]);
	await see(officer, 'import preview', '全部 5 行检查通过');
	await shot(officer, 'import-preview');
	await Promise.all([officer.waitForNavigation(), officer.click('button:has-text("导入全部")')]);
	await see(officer, 'import applied', '已导入');
	const student = sql(`select id from student where name='钱二' and school_id=${school} and status='在读'`);
	check('imported student in the roster', student !== '');

	// 2. an application, entered and submitted
	await officer.goto(`${BASE}/applications/new?student=${student}`);
	await officer.fill('#household_size', '3');
	await officer.fill('#income', '7200');
	await officer.fill('input[name=m0_name]', '钱父');
	await officer.fill('input[name=m0_relation]', '父亲');
	await officer.fill('input[name=m0_age]', '41');
	await officer.selectOption('select[name=m0_health]', '重病');
	await officer.check(`input[name=category][value="${cat}"]`);
	await officer.check(`input[name=programme][value="${prog}"]`);
	await officer.fill('#reason', '父亲重病，母亲打零工');
	await officer.check('input[name=pledge_confirmed]');
	await officer.fill('#pledge_signer', '钱母');
	await shot(officer, 'application-form');
	await Promise.all([officer.waitForURL(/\/applications\/\d+$/), officer.click('button[value=submit]')]);
	const app = officer.url().match(/(\d+)$/)[1];
	await see(officer, 'application submitted', '已提交');
	await shot(officer, 'application-submitted');

	// 3. the class committee votes
	const committee = await person('xg_committee');
	await committee.goto(`${BASE}/review/class/${app}`);
	check('committee sees the score, not the family', (await text(committee)).includes('量化得分') && !(await text(committee)).includes('钱父'));
	await committee.selectOption('#tier', 'special');
	await Promise.all([committee.waitForNavigation(), committee.click('button:has-text("提交我的意见")')]);
	await see(committee, 'vote recorded', '您的评议意见已记录');
	await shot(committee, 'class-vote');

	// 4. the officer closes the class review and decides
	await officer.goto(`${BASE}/review/class/${app}`);
	await Promise.all([officer.waitForNavigation(), officer.click('button:has-text("形成班级评议意见")')]);
	await officer.goto(`${BASE}/review/school/${app}?term=${term}`);
	await officer.selectOption('#tier', 'special');
	await officer.selectOption(`#award_${prog}`, '标准');
	await Promise.all([officer.waitForNavigation(), officer.click('button:has-text("保存学校审核意见")')]);
	await see(officer, 'school decision saved', '学校审核意见已保存');
	await shot(officer, 'school-review');

	// 5. the 公示
	await officer.goto(`${BASE}/notices/new?term=${term}`);
	await officer.check(`input[name=programme][value="${prog}"]`);
	await Promise.all([officer.waitForURL(/\/notices\/\d+$/), officer.click('button:has-text("保存草稿并预览")')]);
	const notice = officer.url().match(/(\d+)$/)[1];
	await Promise.all([officer.waitForNavigation(), officer.click('button:has-text("发布公示")')]);
	await see(officer, 'notice published', '公示中');
	await shot(officer, 'notice-published');

	// 6. a parent reads it on a phone
	const parent = await person(null, { width: 390, height: 844 });
	await parent.goto(`${BASE}/gongshi/${notice}`);
	const pub = await text(parent);
	check('the notice is public', pub.includes('钱') && pub.includes('西工区实验小学'));
	check('no 身份证号 on the public page', !/4103\d{14}/.test(await parent.content()));
	const wide = await parent.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
	check('the page fits the phone (wide tables scroll inside)', wide);
	await shot(parent, 'notice-on-phone');

	// 7. the period passes; the list goes to the district
	sql(`update notice set starts = date('now', '-12 days'), ends = date('now', '-1 day') where id = ${notice}`);
	await officer.goto(`${BASE}/notices/${notice}`);
	await Promise.all([officer.waitForNavigation(), officer.click('button:has-text("结束公示")')]);
	await see(officer, 'notice passed', '公示通过');
	await officer.goto(`${BASE}/review/school?term=${term}`);
	await Promise.all([officer.waitForNavigation(), officer.click('button:has-text("上报区教育局")')]);
	await see(officer, 'submitted to the district', '已上报区教育局');
	await shot(officer, 'batch-submitted');

	// 8. the district approves
	const reviewer = await person('xg_reviewer');
	const batch = sql(`select batch_id from batch_item where application_id=${app} and decision='pending'`);
	await reviewer.goto(`${BASE}/district/batches/${batch}`);
	await see(reviewer, 'the case is in the queue', '钱二');
	await Promise.all([reviewer.waitForNavigation(), reviewer.click('button:has-text("全部批准")')]);
	check('approved', sql(`select status from application where id=${app}`) === 'approved');
	await shot(reviewer, 'district-approved');

	// 9. the district pays
	await admin.goto(`${BASE}/payments`);
	await admin.selectOption('#term', term);
	await admin.selectOption('#programme', prog);
	await Promise.all([admin.waitForURL(/\/payments\/\d+$/), admin.click('button:has-text("建立发放批次")')]);
	await see(admin, 'payment batch built', '钱二');
	await Promise.all([admin.waitForNavigation(), admin.click('button:has-text("标记为已发送银行")')]);
	await see(admin, 'batch sent to the bank', '已发送银行');
	await shot(admin, 'batch-sent');
	check('the payment is in the ledger', Number(sql(`select count(*) from ledger l join payment x on x.id=l.payment_id join award w on w.id=x.award_id where w.application_id=${app}`)) === 1);
} catch (e) {
	check(`flow ran to the end (${e.message.split('\n')[0]})`, false);
	if (last) {
		console.log(`last page: ${last.url()}`);
		console.log(((await last.textContent('main').catch(() => '')) || '').replace(/\s+/g, ' ').slice(0, 600));
		await last.screenshot({ path: `${SHOTS}/failed.png`, fullPage: true }).catch(() => {});
	}
}
await browser.close();
console.log(`screenshots: ${SHOTS}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
