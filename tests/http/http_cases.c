/* HTTP tests of case work against the real server and the demo area: a
 * resident reports on the public form with a photo and follows the case by
 * its code; staff accept, assign, mediate, refer and resolve; the reporter
 * rates and the case closes; reopening; roles refused where they must be;
 * private categories and personal data never reach the public page or
 * other residents; validation in both languages. Then the edges: ratings
 * 0/2/3/6 and once per resolution, deadlines (reopened, complex, referral)
 * against working days computed here from the holiday list, overdue in
 * the case, the count and the filter, every role against the rows and
 * fields of the list and the pages, private cases untouchable by those who
 * cannot see them, validators field by field, the duplicate threshold,
 * dates across midnight in Shanghai and the audit entry of every move. */
#include "checks.h"
#include "upload.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

static char code_public[16]; /* the case the resident filed */
static long long id_public;

/* ---- tests ---- */

static void test_public_report_with_photo(void **state)
{
	struct client anon;
	struct response r;
	struct form f = {{0}, 0};
	unsigned char png[512];
	char loc[256], path[64];
	size_t n = make_png(png);

	(void)state;
	client_init(&anon);
	/* Step 1: the kinds of problem, in Chinese, without signing in. */
	assert_int_equal(request(&anon, &srv, "GET", "/report", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "噪声扰民"));
	assert_non_null(strstr(r.body, "邻里纠纷"));
	response_release(&r);
	/* Step 2: the form for noise asks the category's questions. */
	assert_int_equal(
	    request(&anon, &srv, "GET", "/report?category=noise", NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "name=\"q_source\""));
	assert_non_null(strstr(r.body, "enctype=\"multipart/form-data\""));
	response_release(&r);

	form_field(&f, "category", "noise");
	form_field(&f, "description", "五月花广场晚上九点半还在放广场舞音乐，老人孩子睡不着");
	form_field(&f, "q_source", "square_dance");
	form_field(&f, "q_now", "yes");
	form_field(&f, "compound_id", "3");
	form_field(&f, "reporter_name", "赵阿婆");
	form_field(&f, "reporter_phone", "13987654321");
	form_file(&f, "photo", "plaza.png", "image/png", png, n);
	form_end(&f);
	assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
	assert_int_equal(r.status, 303);
	assert_non_null(header_value(&r, "Location", loc, sizeof(loc)));
	assert_true(!strncmp(loc, "/track/", 7));
	snprintf(code_public, sizeof(code_public), "%.10s", loc + 7);
	response_release(&r);

	/* The tracking page shows the code, the state and what was reported
	 * (as Open311 publishes it), and no personal data. */
	snprintf(path, sizeof(path), "/track/%s?new=1", code_public);
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, code_public));
	assert_non_null(strstr(r.body, "已提交"));
	assert_null(strstr(r.body, "赵阿婆"));
	assert_null(strstr(r.body, "13987654321"));
	assert_non_null(strstr(
	    r.body, "<p class=\"said\">五月花广场晚上九点半还在放广场舞音乐，老人孩子睡不着</p>"));
	response_release(&r);
	client_release(&anon);

	/* Staff see it with the photo; the stored photo lost its location. */
	struct client staff;
	login_as(&staff, "staff");
	assert_int_equal(
	    api(&staff, &srv, "GET", "/api/v1/cases?category_id=&state=submitted", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, code_public));
	response_release(&r);
	char cpath[200], sha[80];
	snprintf(cpath, sizeof(cpath), "/api/v1/track/%s", code_public);
	assert_int_equal(request(&staff, &srv, "GET", cpath, NULL, NULL, NULL, &r), 0);
	id_public = json_int(r.body, "id");
	response_release(&r);
	snprintf(cpath, sizeof(cpath), "/api/v1/cases/%lld", id_public);
	assert_int_equal(api(&staff, &srv, "GET", cpath, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"channel\":\"web\""));
	assert_non_null(strstr(r.body, "\"reporter_phone\":\"13987654321\""));
	assert_non_null(strstr(r.body, "\"mime\":\"image/png\""));
	json_str(r.body, "sha256", sha, sizeof(sha));
	response_release(&r);
	snprintf(cpath, sizeof(cpath), "/cases/%lld/photos/%s.png", id_public, sha);
	assert_int_equal(request(&staff, &srv, "GET", cpath, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(r.len > 40 && r.len < n);
	assert_int_equal(memcmp(r.body, "\x89PNG", 4), 0);
	assert_null(memmem(r.body, r.len, PNG_SECRET_PLACE, strlen(PNG_SECRET_PLACE)));
	response_release(&r);
	/* Photos are not public. */
	struct client anon2;
	client_init(&anon2);
	assert_int_equal(request(&anon2, &srv, "GET", cpath, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 303); /* to the sign-in page */
	response_release(&r);
	client_release(&anon2);
	client_release(&staff);
}

/* files_under: regular files under dir and its subfolders (dot names
 * too), 0 when there is no such folder. */
static int files_under(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[1024];
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st))
			continue;
		n += S_ISDIR(st.st_mode) ? files_under(path) : S_ISREG(st.st_mode);
	}
	closedir(d);
	return n;
}

/* A refused report leaves nothing on disk: its photos, checked and
 * stripped, are removed with the refusal (the server keeps photos under
 * ./uploads by default). */
static void test_refused_report_writes_nothing(void **state)
{
	static const char *const why[] = {"情况说明不能为空", "电话", "位置"};
	unsigned char png[512];
	struct client anon;
	struct response r;
	static struct form f;
	int before = files_under("uploads");

	(void)state;
	client_init(&anon);
	for (int round = 0; round < 3; round++) {
		memset(&f, 0, sizeof(f));
		form_field(&f, "category", "repair");
		/* Refused for the description, then the phone, then the point. */
		form_field(&f, "description", round == 0 ? "" : "楼道灯坏了 R-refused");
		form_field(&f, "reporter_phone", round == 1 ? "12345" : "");
		form_field(&f, "lat", round == 2 ? "91" : "");
		form_field(&f, "long", round == 2 ? "121.47" : "");
		form_field(&f, "confirm_new", "1");
		/* A picture no earlier report sent. */
		size_t n = make_png_unique(png, (uint32_t)getpid() * 4u + (uint32_t)round + 2u);
		form_file(&f, "photo", "lamp.png", "image/png", png, n);
		form_end(&f);
		assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
		if (r.status != 422 || !strstr(r.body, why[round]))
			fail_msg("round %d answered %ld without %s", round, r.status, why[round]);
		/* The form comes back without claiming a photo it did not keep. */
		assert_null(strstr(r.body, "name=\"kept_photo\""));
		response_release(&r);
		assert_int_equal(files_under("uploads"), before);
	}
	client_release(&anon);
}

static char *get_body(struct client *c, const char *path, long want);
static char *case_body(struct client *c, long long id, long want);

/* post_report: an anonymous report to s (description as given, photo
 * optional); the response in r. */
static void post_report(struct server *s, const char *description, const unsigned char *png,
			size_t n, struct response *r)
{
	static struct form f;
	struct client anon;

	client_init(&anon);
	memset(&f, 0, sizeof(f));
	form_field(&f, "category", "repair");
	form_field(&f, "description", description);
	form_field(&f, "confirm_new", "1");
	if (png)
		form_file(&f, "photo", "lamp.png", "image/png", png, n);
	form_end(&f);
	assert_int_equal(form_post(&anon, s, "/report", &f, NULL, r), 0);
	client_release(&anon);
}

/* Anonymous writes from one address have a budget (here 3 in 2 s):
 * reports, refused or not, Open311 POSTs and tracking actions spend it;
 * the next is 429 with Retry-After in the reader's format, and the budget
 * comes back when the window closes. Signing in and signed-in writes are
 * not counted. */
static void test_anonymous_write_budget(void **state)
{
	struct server own;
	struct client staff;
	struct response r;
	char retry[16];
	long wait;
	time_t deadline;

	(void)state;
	setenv("LINLI_ANON_WRITE_LIMIT", "3", 1);
	setenv("LINLI_ANON_WRITE_WINDOW", "2", 1);
	assert_int_equal(server_start(&own), 0);
	unsetenv("LINLI_ANON_WRITE_LIMIT");
	unsetenv("LINLI_ANON_WRITE_WINDOW");
	/* Three refused reports spend the budget... */
	for (int i = 0; i < 3; i++) {
		post_report(&own, "", NULL, 0, &r);
		assert_int_equal(r.status, 422);
		response_release(&r);
	}
	/* ...and the fourth is turned away before it is read. */
	post_report(&own, "楼道灯坏了 B-budget", NULL, 0, &r);
	assert_int_equal(r.status, 429);
	assert_non_null(strstr(r.body, "提交太频繁"));
	assert_non_null(header_value(&r, "Retry-After", retry, sizeof(retry)));
	wait = strtol(retry, NULL, 10);
	assert_true(wait >= 1 && wait <= 2);
	deadline = time(NULL) + wait;
	response_release(&r);
	/* Open311 says so in its own error list. */
	{
		struct client anon;
		client_init(&anon);
		anon.lang = "en";
		assert_int_equal(request(&anon, &own, "POST", "/open311/v2/requests.json",
					 "service_code=repair&description=x",
					 "application/x-www-form-urlencoded", NULL, &r),
				 0);
		assert_int_equal(r.status, 429);
		assert_non_null(strstr(r.body, "[{\"code\":429,\"description\":\"Too many"));
		assert_non_null(header_value(&r, "Retry-After", retry, sizeof(retry)));
		response_release(&r);
		assert_int_equal(request(&anon, &own, "POST", "/track/ABCDEFGHJK/confirm", "x=1",
					 "application/x-www-form-urlencoded", NULL, &r),
				 0);
		assert_int_equal(r.status, 429);
		response_release(&r);
		client_release(&anon);
	}
	/* Signing in and writing signed in are not anonymous writes. */
	client_init(&staff);
	assert_int_equal(client_login(&staff, &own, "staff", "pushan-staff"), 200);
	assert_int_equal(api(&staff, &own, "POST", "/api/v1/cases",
			     "{\"category\":\"other\",\"description\":\"B-budget signed in\"}", &r),
			 0);
	assert_int_equal(r.status, 201);
	response_release(&r);
	client_release(&staff);
	/* At the second the window closes, not one later, a whole new budget
	 * is back: three writes, and the fourth is turned away again. */
	while (time(NULL) < deadline)
		usleep(10000);
	for (int i = 0; i < 4; i++) {
		post_report(&own, "", NULL, 0, &r);
		assert_int_equal(r.status, i < 3 ? 422 : 429);
		response_release(&r);
	}
	server_stop(&own);
}

/* Below the floor of free disk space photos are refused with 507 and a
 * message that says to send the report without them; nothing is written,
 * and the same report without photos is filed. */
static void test_disk_floor(void **state)
{
	struct server own;
	struct response r;
	unsigned char png[512];
	size_t n = make_png_unique(png, (uint32_t)getpid() * 4u + 1000u);
	int before = files_under("uploads");

	(void)state;
	setenv("LINLI_UPLOAD_MIN_FREE", "1125899906842624", 1); /* 1 PiB: never free */
	assert_int_equal(server_start(&own), 0);
	unsetenv("LINLI_UPLOAD_MIN_FREE");
	post_report(&own, "楼道灯坏了 D-disk", png, n, &r);
	assert_int_equal(r.status, 507);
	assert_non_null(strstr(r.body, "服务器存储空间不足"));
	assert_non_null(strstr(r.body, "D-disk")); /* the form keeps what was typed */
	response_release(&r);
	assert_int_equal(files_under("uploads"), before);
	post_report(&own, "楼道灯坏了 D-disk", NULL, 0, &r);
	assert_int_equal(r.status, 303);
	response_release(&r);
	/* The refusals are counted by route and status. */
	{
		struct client anon;
		client_init(&anon);
		assert_int_equal(request(&anon, &own, "GET", "/metrics", NULL, NULL, NULL, &r), 0);
		assert_non_null(
		    strstr(r.body, "linli_http_requests_total{method=\"POST\",route=\"/report\","
				   "status=\"507\"} 1"));
		response_release(&r);
		client_release(&anon);
	}
	server_stop(&own);
}

/* jpeg_size: the width and height in a JPEG's frame header, 0 if none. */
static void jpeg_size(const char *body, size_t len, unsigned *w, unsigned *h)
{
	const unsigned char *p = (const unsigned char *)body;

	*w = *h = 0;
	for (size_t i = 2; i + 9 < len;) {
		if (p[i] != 0xFF)
			return;
		unsigned m = p[i + 1], seg = (unsigned)p[i + 2] << 8 | p[i + 3];
		if (m >= 0xC0 && m <= 0xC3) {
			*h = (unsigned)p[i + 5] << 8 | p[i + 6];
			*w = (unsigned)p[i + 7] << 8 | p[i + 8];
			return;
		}
		i += 2 + seg;
	}
}

/* Photos past 40 megapixels, or that do not decode to their end, are
 * refused with a message naming why (in Chinese, or in English for a
 * reader who chose it) and leave nothing on disk; a photo that passes is
 * shown to staff as a small re-encoded JPEG, the original a download. */
static void test_photo_pixels_and_view(void **state)
{
	static unsigned char png[60000];
	static struct form f;
	struct client anon, staff;
	struct response r;
	char loc[256], code[16], path[300], sha[80], want[200];
	int before = files_under("uploads");
	size_t n;

	(void)state;
	client_init(&anon);
	for (int round = 0; round < 3; round++) {
		memset(&f, 0, sizeof(f));
		form_field(&f, "category", "repair");
		form_field(&f, "description", "墙面裂缝 P-pixels");
		form_field(&f, "confirm_new", "1");
		/* 20000 x 20000 in a few bytes; then 4000 x 8000 with one row. */
		n = round < 2 ? make_png_declaring(png, 20000, 20000)
			      : make_png_declaring(png, 5000, 8000);
		form_file(&f, "photo", "big.png", "image/png", png, n);
		form_end(&f);
		assert_int_equal(form_post(&anon, &srv, "/report", &f,
					   round == 1 ? "Cookie: lang=en" : NULL, &r),
				 0);
		assert_int_equal(r.status, 422);
		if (round == 0)
			assert_non_null(strstr(r.body, "照片像素太多（每张不超过 4000 万像素）"));
		if (round == 1)
			assert_non_null(strstr(r.body, "too many pixels (40 megapixels at most)"));
		if (round == 2)
			assert_non_null(strstr(r.body, "照片文件不完整或已损坏"));
		assert_null(strstr(r.body, "name=\"kept_photo\""));
		response_release(&r);
		assert_int_equal(files_under("uploads"), before);
	}

	/* 2400 x 600 (another in each run: ./uploads stays): staff see it
	 * 1600 x 400. */
	memset(&f, 0, sizeof(f));
	n = make_png_gradient(png, sizeof(png), 2400, 600,
			      (uint32_t)time(NULL) * 31u + (uint32_t)getpid());
	form_field(&f, "category", "repair");
	form_field(&f, "description", "墙面裂缝 P-view");
	form_field(&f, "confirm_new", "1");
	form_file(&f, "photo", "wide.png", "image/png", png, n);
	form_end(&f);
	assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
	assert_int_equal(r.status, 303);
	assert_non_null(header_value(&r, "Location", loc, sizeof(loc)));
	snprintf(code, sizeof(code), "%.10s", loc + 7);
	response_release(&r);
	client_release(&anon);
	/* The photo and its copy. */
	assert_int_equal(files_under("uploads"), before + 2);

	login_as(&staff, "staff");
	snprintf(path, sizeof(path), "/api/v1/track/%s", code);
	char *v = get_body(&staff, path, 200);
	long long id = json_int(v, "id");
	free(v);
	v = case_body(&staff, id, 200);
	json_str(v, "sha256", sha, sizeof(sha));
	free(v);
	snprintf(path, sizeof(path), "/cases/%lld", id);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	snprintf(want, sizeof(want), "<img src=\"/cases/%lld/views/%s.png\"", id, sha);
	assert_non_null(strstr(r.body, want));
	snprintf(want, sizeof(want), "<a href=\"/cases/%lld/photos/%s.png\" download>", id, sha);
	assert_non_null(strstr(r.body, want));
	response_release(&r);
	snprintf(path, sizeof(path), "/cases/%lld/views/%s.png", id, sha);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(header_value(&r, "Content-Type", want, sizeof(want)));
	assert_string_equal(want, "image/jpeg");
	unsigned w, h;
	jpeg_size(r.body, r.len, &w, &h);
	assert_int_equal(w, 1600);
	assert_int_equal(h, 400);
	response_release(&r);
	/* The original, whole, as a download. */
	snprintf(path, sizeof(path), "/cases/%lld/photos/%s.png", id, sha);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(memcmp(r.body, "\x89PNG", 4), 0);
	assert_int_equal(r.len, n);
	assert_non_null(header_value(&r, "Content-Disposition", want, sizeof(want)));
	assert_true(!strncmp(want, "attachment", 10));
	response_release(&r);

	/* A photo stored before views were made gets its view when first
	 * shown. */
	char file[300], view_file[300];
	snprintf(file, sizeof(file), "uploads/%.2s/%s.png", sha, sha);
	snprintf(view_file, sizeof(view_file), "uploads/%.2s/%s-v1600.jpg", sha, sha);
	assert_int_equal(unlink(view_file), 0);
	snprintf(path, sizeof(path), "/cases/%lld", id);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	snprintf(want, sizeof(want), "<img src=\"/cases/%lld/views/%s.png\"", id, sha);
	assert_non_null(strstr(r.body, want));
	response_release(&r);
	assert_int_equal(access(view_file, F_OK), 0);
	/* One stored before the cap, past it: neither shown nor offered. */
	FILE *out = fopen(file, "wb");
	assert_non_null(out);
	n = make_png_declaring(png, 20000, 20000);
	assert_int_equal(fwrite(png, 1, n, out), n);
	fclose(out);
	assert_int_equal(unlink(view_file), 0);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "超过 4000 万像素，不予显示"));
	snprintf(want, sizeof(want), "%s.png", sha);
	assert_null(strstr(r.body, want));
	response_release(&r);
	for (int view = 0; view < 2; view++) {
		snprintf(path, sizeof(path), "/cases/%lld/%s/%s.png", id, view ? "views" : "photos",
			 sha);
		assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 404);
		assert_null(memmem(r.body, r.len, "\x89PNG", 4));
		response_release(&r);
	}
	assert_int_not_equal(access(view_file, F_OK), 0);
	client_release(&staff);
}

static void test_report_refuses_bad_input(void **state)
{
	struct client anon;
	struct response r;
	struct form f = {{0}, 0};

	(void)state;
	client_init(&anon);
	/* No description, a GIF: a clear message, and nothing filed. */
	form_field(&f, "category", "repair");
	form_field(&f, "description", "");
	form_end(&f);
	assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "情况说明不能为空"));
	response_release(&r);
	memset(&f, 0, sizeof(f));
	form_field(&f, "category", "repair");
	form_field(&f, "description", "楼道灯坏了");
	form_file(&f, "photo", "x.gif", "image/gif", "GIF89a\1\0\1\0\0\0\0;", 14);
	form_end(&f);
	assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "JPEG、PNG 或 WebP"));
	response_release(&r);
	/* A required question left out, in Chinese and, for a reader who
	 * chose English, in English; named as the form names it. */
	memset(&f, 0, sizeof(f));
	form_field(&f, "category", "noise");
	form_field(&f, "description", "loud music");
	form_end(&f);
	assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "请回答：声源"));
	response_release(&r);
	assert_int_equal(form_post(&anon, &srv, "/report", &f, "Cookie: lang=en", &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "Please answer: Source"));
	response_release(&r);
	client_release(&anon);

	struct client staff;
	login_as(&staff, "staff");
	char big[4200 * 3 + 64];
	size_t k = (size_t)snprintf(big, sizeof(big), "{\"category\":\"other\",\"description\":\"");
	for (int i = 0; i < 4001; i++)
		big[k++] = 'x';
	snprintf(big + k, sizeof(big) - k, "\"}");
	assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases", big, &r), 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases",
			     "{\"category\":\"nope\",\"description\":\"x\"}", &r),
			 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	assert_int_equal(api(&staff, &srv, "GET", "/api/v1/cases?state=submitted", NULL, &r), 0);
	assert_null(strstr(r.body, "楼道灯坏了"));
	response_release(&r);
	client_release(&staff);
}

static void act(struct client *c, long long id, const char *body, long want)
{
	struct response r;
	char path[64];

	snprintf(path, sizeof(path), "/api/v1/cases/%lld/actions", id);
	assert_int_equal(api(c, &srv, "POST", path, body, &r), 0);
	if (r.status != want)
		fail_msg("%s: got %ld (%s), want %ld", body, r.status, r.body, want);
	response_release(&r);
}

static long long team_id(struct client *c, const char *name_q)
{
	struct response r;
	char path[200];
	long long id;

	snprintf(path, sizeof(path), "/api/v1/teams?q=%s", name_q);
	assert_int_equal(api(c, &srv, "GET", path, NULL, &r), 0);
	id = json_int(r.body, "id");
	response_release(&r);
	return id;
}

static void test_whole_flow(void **state)
{
	struct client staff, member, agency, anon;
	struct response r;
	char path[96], body[256];
	long long team, unit;

	(void)state;
	login_as(&staff, "staff");
	login_as(&member, "member");
	team = team_id(&staff, "%E5%85%88%E9%94%8B"); /* 先锋 */
	/* A Party member may not accept; staff may. */
	act(&member, id_public, "{\"action\":\"accept\"}", 403);
	act(&staff, id_public, "{\"action\":\"start\"}", 409);
	act(&staff, id_public, "{\"action\":\"accept\"}", 200);
	act(&staff, id_public, "{\"action\":\"assign\"}", 422); /* needs a handler */
	snprintf(body, sizeof(body), "{\"action\":\"assign\",\"handler_team_id\":%lld}", team);
	act(&staff, id_public, body, 200);
	act(&member, id_public, "{\"action\":\"start\"}", 200);
	/* The mediators meet the dance team and the neighbours. */
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/mediations", id_public);
	assert_int_equal(api(&member, &srv, "POST", path,
			     "{\"held_on\":\"2026-11-30\",\"parties\":\"晨光舞蹈队、3号楼居民\","
			     "\"mediators\":\"先锋队\",\"agreement\":\"音量调低，20:30前结束\","
			     "\"follow_up_on\":\"2026-12-07\"}",
			     &r),
			 0);
	assert_int_equal(r.status, 201);
	response_release(&r);
	assert_int_equal(api(&member, &srv, "POST", path,
			     "{\"held_on\":\"2026-02-30\",\"parties\":\"a\",\"mediators\":\"b\"}",
			     &r),
			 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	/* Referral to 城管 with a webhook: the notice waits in the outbox. */
	assert_int_equal(api(&staff, &srv, "GET", "/api/v1/units?q=%E5%9F%8E%E7%AE%A1", NULL, &r),
			 0);
	unit = json_int(r.body, "id");
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/units/%lld", unit);
	assert_int_equal(api(&staff, &srv, "PATCH", path, "{\"webhook_url\":\"ftp://x\"}", &r), 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	assert_int_equal(
	    api(&staff, &srv, "PATCH", path,
		"{\"webhook_url\":\"http://127.0.0.1:9/referrals\",\"email\":\"cg@example.org\"}",
		&r),
	    0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	snprintf(body, sizeof(body),
		 "{\"action\":\"refer\",\"agency_unit_id\":%lld,\"reference\":\"CG-118\",\"note\":"
		 "\"请协助\"}",
		 unit);
	act(&member, id_public, body, 200);
	if (!strncmp(srv.db, "sqlite:", 7)) {
		char cmd[2048];
		snprintf(cmd, sizeof(cmd),
			 "test \"$(sqlite3 '%s' \"SELECT COUNT(*) FROM outbox WHERE target IN "
			 "('http://127.0.0.1:9/referrals', 'cg@example.org') AND payload NOT LIKE "
			 "'%%13987654321%%'\")\" = 2",
			 srv.db + 7);
		assert_int_equal(system(cmd), 0);
	}
	/* The agency answers; the case goes back to work, then is resolved. */
	login_as(&agency, "agency");
	act(&agency, id_public, "{\"action\":\"agency_answer\",\"note\":\"已到现场劝导\"}", 200);
	act(&agency, id_public, "{\"action\":\"resolve\",\"note\":\"x\"}", 403);
	act(&member, id_public, "{\"action\":\"resolve\"}", 422);
	act(&member, id_public,
	    "{\"action\":\"resolve\",\"note\":\"舞队改到20:30前结束并调低音量\",\"public\":true}",
	    200);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", id_public);
	assert_int_equal(api(&staff, &srv, "GET", path, NULL, &r), 0);
	assert_non_null(strstr(r.body, "\"state\":\"resolved\""));
	assert_non_null(strstr(r.body, "\"kind\":\"mediation\""));
	assert_non_null(strstr(r.body, "\"reference\":\"CG-118\""));
	assert_non_null(strstr(r.body, "\"answer\":\"已到现场劝导\""));
	response_release(&r);

	/* The reporter sees the public note and rates the result: closed. */
	client_init(&anon);
	snprintf(path, sizeof(path), "/track/%s", code_public);
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "舞队改到20:30前结束并调低音量"));
	assert_null(strstr(r.body, "请协助")); /* internal notes stay inside */
	assert_non_null(strstr(r.body, "name=\"rating\""));
	response_release(&r);
	snprintf(path, sizeof(path), "/track/%s/rating", code_public);
	assert_int_equal(request(&anon, &srv, "POST", path, "rating=7",
				 "application/x-www-form-urlencoded", NULL, &r),
			 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	assert_int_equal(request(&anon, &srv, "POST", path, "rating=5&comment=%E8%B0%A2%E8%B0%A2",
				 "application/x-www-form-urlencoded", NULL, &r),
			 0);
	assert_int_equal(r.status, 303);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/track/%s", code_public);
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "\"state\":\"closed\""));
	assert_int_equal(json_int(r.body, "rating"), 5);
	assert_null(strstr(r.body, "actor")); /* nobody is named */
	response_release(&r);
	/* Still not right after all: the reporter reopens it. */
	snprintf(path, sizeof(path), "/track/%s/reopen", code_public);
	assert_int_equal(request(&anon, &srv, "POST", path,
				 "note=", "application/x-www-form-urlencoded", NULL, &r),
			 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	assert_int_equal(request(&anon, &srv, "POST", path, "note=%E5%8F%88%E5%90%B5%E4%BA%86",
				 "application/x-www-form-urlencoded", NULL, &r),
			 0);
	assert_int_equal(r.status, 303);
	response_release(&r);
	act(&staff, id_public, "{\"action\":\"accept\"}", 200);
	client_release(&anon);
	client_release(&agency);
	client_release(&member);
	client_release(&staff);
}

static void test_low_rating_reopens(void **state)
{
	struct client staff, anon;
	struct response r;
	char code[16], path[96], body[200];
	long long id, team;

	(void)state;
	login_as(&staff, "staff");
	assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases",
			     "{\"category\":\"repair\",\"description\":\"3号楼电梯按钮坏了\","
			     "\"channel\":\"phone\"}",
			     &r),
			 0);
	assert_int_equal(r.status, 201);
	assert_non_null(strstr(r.body, "\"channel\":\"phone\""));
	id = json_int(r.body, "id");
	json_str(r.body, "tracking_code", code, sizeof(code));
	assert_true(json_int(r.body, "accept_due") > json_int(r.body, "created_at"));
	assert_true(json_int(r.body, "resolve_due") > json_int(r.body, "accept_due"));
	response_release(&r);
	team = team_id(&staff, "%E5%B7%A1%E9%80%BB"); /* 巡逻 */
	act(&staff, id, "{\"action\":\"accept\"}", 200);
	snprintf(body, sizeof(body), "{\"action\":\"assign\",\"handler_team_id\":%lld}", team);
	act(&staff, id, body, 200);
	act(&staff, id,
	    "{\"action\":\"resolve\",\"note\":\"内部：业主王某 13900001111 "
	    "家漏水\",\"public\":false}",
	    200);
	client_init(&anon);
	/* The change of state is public; a note not marked public is not. */
	snprintf(path, sizeof(path), "/api/v1/track/%s", code);
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "\"to_state\":\"resolved\""));
	assert_null(strstr(r.body, "13900001111"));
	assert_null(strstr(r.body, "内部"));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/track/%s/rating", code);
	assert_int_equal(request(&anon, &srv, "POST", path, "{\"rating\":1,\"comment\":\"没修好\"}",
				 "application/json", NULL, &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"state\":\"reopened\""));
	assert_true(json_int(r.body, "resolve_due") > json_int(r.body, "updated_at"));
	response_release(&r);
	/* One rating per resolution. */
	assert_int_equal(
	    request(&anon, &srv, "POST", path, "{\"rating\":5}", "application/json", NULL, &r), 0);
	assert_int_equal(r.status, 409);
	response_release(&r);
	client_release(&anon);
	client_release(&staff);
}

static void test_privacy(void **state)
{
	struct client staff, resident, anon, member;
	struct response r;
	char code[16], path[96];
	long long id;

	(void)state;
	login_as(&staff, "staff");
	assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases",
			     "{\"category\":\"dispute\",\"description\":\"楼上邻居漏水不肯修\","
			     "\"reporter_name\":\"钱先生\",\"reporter_phone\":\"13611112222\"}",
			     &r),
			 0);
	assert_int_equal(r.status, 201);
	id = json_int(r.body, "id");
	json_str(r.body, "tracking_code", code, sizeof(code));
	response_release(&r);
	/* Residents have no queue; anonymous readers see no private category. */
	login_as(&resident, "resident");
	assert_int_equal(api(&resident, &srv, "GET", "/api/v1/cases", NULL, &r), 0);
	assert_int_equal(r.status, 403);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", id);
	assert_int_equal(api(&resident, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 403);
	response_release(&r);
	client_init(&anon);
	assert_int_equal(
	    request(&anon, &srv, "GET", "/api/v1/case-categories", NULL, NULL, NULL, &r), 0);
	assert_null(strstr(r.body, "dispute"));
	assert_non_null(strstr(r.body, "noise"));
	response_release(&r);
	/* The code holder sees the state and nothing personal. */
	snprintf(path, sizeof(path), "/api/v1/track/%s", code);
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "钱先生"));
	assert_null(strstr(r.body, "13611112222"));
	assert_null(strstr(r.body, "漏水"));
	response_release(&r);
	/* A wrong code finds nothing. */
	assert_int_equal(
	    request(&anon, &srv, "GET", "/api/v1/track/ABCDEFGHJK", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 404);
	response_release(&r);
	/* Volunteers see neither private disputes nor who reported. */
	struct client volunteer;
	login_as(&volunteer, "volunteer");
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", id);
	assert_int_equal(api(&volunteer, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 404);
	response_release(&r);
	assert_int_equal(api(&volunteer, &srv, "GET", "/api/v1/cases?per_page=500", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "漏水"));
	assert_null(strstr(r.body, "赵阿婆"));
	response_release(&r);
	client_release(&volunteer);
	/* Party members mediate disputes but see the phone masked. */
	login_as(&member, "member");
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", id);
	assert_int_equal(api(&member, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "136****2222"));
	assert_null(strstr(r.body, "13611112222"));
	response_release(&r);
	client_release(&member);
	client_release(&anon);
	client_release(&resident);
	client_release(&staff);
}

static void test_again_instead_of_new(void **state)
{
	struct client anon, staff;
	struct response r;
	struct form f = {{0}, 0};
	char path[96], ids[32];

	(void)state;
	/* Another neighbour reports the same noise in the same compound: the
	 * form offers the existing case first. */
	client_init(&anon);
	form_field(&f, "category", "noise");
	form_field(&f, "description", "又在跳广场舞，音乐很响");
	form_field(&f, "q_source", "square_dance");
	form_field(&f, "compound_id", "3");
	form_end(&f);
	assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "是同一件事"));
	assert_non_null(strstr(r.body, "name=\"recur_of\""));
	/* What Open311 publishes of the other report, to compare with. */
	assert_non_null(
	    strstr(r.body, "<p class=\"dup-summary\">五月花广场晚上九点半还在放广场舞音乐"));
	response_release(&r);
	memset(&f, 0, sizeof(f));
	snprintf(ids, sizeof(ids), "%lld", id_public);
	/* A case number that was not offered for this place is refused. */
	form_field(&f, "category", "noise");
	form_field(&f, "recur_of", ids);
	form_field(&f, "description", "今晚又响到十点");
	form_end(&f);
	assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
	assert_int_equal(r.status, 409);
	response_release(&r);
	memset(&f, 0, sizeof(f));
	form_field(&f, "category", "noise");
	form_field(&f, "recur_of", ids);
	form_field(&f, "description", "今晚又响到十点");
	form_field(&f, "q_source", "square_dance");
	form_field(&f, "compound_id", "3");
	form_end(&f);
	assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "已记录"));
	response_release(&r);
	client_release(&anon);
	login_as(&staff, "staff");
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", id_public);
	assert_int_equal(api(&staff, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(json_int(r.body, "recurrences"), 1);
	assert_non_null(strstr(r.body, "今晚又响到十点"));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/track/%s", code_public);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "\"kind\":\"recurrence\""));
	assert_null(strstr(r.body, "今晚又响到十点"));
	response_release(&r);
	client_release(&staff);
}

static void test_queue_pages(void **state)
{
	struct client staff;
	struct response r;
	char path[64];

	(void)state;
	login_as(&staff, "staff");
	assert_int_equal(request(&staff, &srv, "GET", "/cases", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "居民反映"));
	assert_non_null(strstr(r.body, "name=\"handler_team_id\""));
	response_release(&r);
	assert_int_equal(request(&staff, &srv, "GET", "/cases?state=bogus", NULL, NULL, NULL, &r),
			 0);
	assert_int_equal(r.status, 400);
	response_release(&r);
	snprintf(path, sizeof(path), "/cases/%lld", id_public);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "办理经过"));
	assert_non_null(strstr(r.body, "广场舞")); /* the answer, named as the form named it */
	response_release(&r);
	client_release(&staff);
}

/* A point: the phone's position, or a tap on the site plan. */
static void test_report_with_a_point(void **state)
{
	struct client anon, staff;
	struct response r;
	struct form f = {{0}, 0};
	char loc[128], path[128];

	(void)state;
	client_init(&anon);
	assert_int_equal(
	    request(&anon, &srv, "GET", "/report?category=safety", NULL, NULL, NULL, &r), 0);
	/* the demo has footprints: a tap on the plan gives lat/long (an area
	 * without them gets the grid and plan_x/plan_y, still taken) */
	assert_non_null(strstr(r.body, "<div class=\"field plan-picker\" hidden>"));
	assert_non_null(strstr(r.body, "name=\"lat\""));
	response_release(&r);
	form_field(&f, "category", "safety");
	form_field(&f, "description", "消防通道被车堵住");
	form_field(&f, "lat", "31.243512");
	form_field(&f, "long", "121.431207");
	form_field(&f, "plan_x", "640");
	form_field(&f, "plan_y", "215");
	form_end(&f);
	assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
	assert_int_equal(r.status, 303);
	assert_non_null(header_value(&r, "Location", loc, sizeof(loc)));
	response_release(&r);
	login_as(&staff, "staff");
	snprintf(path, sizeof(path), "/api/v1/track/%.10s", loc + 7);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", json_int(r.body, "id"));
	response_release(&r);
	assert_int_equal(api(&staff, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(json_int(r.body, "lat_e6"), 31243512);
	assert_int_equal(json_int(r.body, "lon_e6"), 121431207);
	assert_int_equal(json_int(r.body, "plan_x"), 640);
	assert_int_equal(json_int(r.body, "plan_y"), 215);
	response_release(&r);
	client_release(&staff);
	/* Nonsense coordinates are refused, and nothing is filed. */
	memset(&f, 0, sizeof(f));
	form_field(&f, "category", "safety");
	form_field(&f, "description", "x");
	form_field(&f, "lat", "1e3");
	form_field(&f, "long", "121");
	form_end(&f);
	assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	memset(&f, 0, sizeof(f));
	form_field(&f, "category", "safety");
	form_field(&f, "description", "x");
	form_field(&f, "plan_x", "1001");
	form_field(&f, "plan_y", "5");
	form_end(&f);
	assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	client_release(&anon);
}

/* Assigning to a person puts the case in that person's inbox. */
static void test_inbox(void **state)
{
	struct client staff, member;
	struct response r;
	char body[200], path[64];
	long long id, member_id;

	(void)state;
	login_as(&staff, "staff");
	login_as(&member, "member");
	assert_int_equal(api(&member, &srv, "GET", "/api/v1/me", NULL, &r), 0);
	member_id = json_int(r.body, "user_id");
	response_release(&r);
	assert_int_equal(api(&member, &srv, "GET", "/api/v1/inbox", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_int(r.body, "unread"), 0);
	response_release(&r);
	assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases",
			     "{\"category\":\"garbage\",\"description\":\"投放点满溢\"}", &r),
			 0);
	id = json_int(r.body, "id");
	response_release(&r);
	act(&staff, id, "{\"action\":\"accept\"}", 200);
	snprintf(body, sizeof(body), "{\"action\":\"assign\",\"handler_user_id\":%lld}", member_id);
	act(&staff, id, body, 200);
	assert_int_equal(api(&member, &srv, "GET", "/api/v1/inbox", NULL, &r), 0);
	assert_int_equal(json_int(r.body, "unread"), 1);
	assert_int_equal(json_int(r.body, "case_id"), id);
	assert_non_null(strstr(r.body, "分派给您"));
	response_release(&r);
	/* Nobody else's inbox. */
	assert_int_equal(api(&staff, &srv, "GET", "/api/v1/inbox", NULL, &r), 0);
	assert_null(strstr(r.body, "分派给您"));
	response_release(&r);
	assert_int_equal(request(&member, &srv, "GET", "/inbox", NULL, NULL, NULL, &r), 0);
	snprintf(path, sizeof(path), "href=\"/cases/%lld\"", id);
	assert_non_null(strstr(r.body, path));
	response_release(&r);
	/* Someone else's message is not there to mark: 404, still unread. */
	assert_int_equal(api(&member, &srv, "GET", "/api/v1/inbox", NULL, &r), 0);
	long long msg = json_int(r.body, "id");
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/inbox/%lld/read", msg);
	assert_int_equal(api(&staff, &srv, "POST", path, NULL, &r), 0);
	assert_int_equal(r.status, 404);
	response_release(&r);
	assert_int_equal(api(&member, &srv, "GET", "/api/v1/inbox", NULL, &r), 0);
	assert_int_equal(json_int(r.body, "unread"), 1);
	response_release(&r);
	/* The reader's own, twice: both times done. */
	for (int k = 0; k < 2; k++) {
		assert_int_equal(api(&member, &srv, "POST", path, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		response_release(&r);
	}
	assert_int_equal(api(&member, &srv, "POST", "/api/v1/inbox/all/read", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	assert_int_equal(api(&member, &srv, "GET", "/api/v1/inbox", NULL, &r), 0);
	assert_int_equal(json_int(r.body, "unread"), 0);
	response_release(&r);
	client_release(&member);
	client_release(&staff);
}

/* The holiday list: a bad line loads nothing; a good file loads. */
static void test_holidays(void **state)
{
	char *out = NULL, path[400];
	FILE *f;
	int rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/holidays.csv", srv.dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("day,kind,name\n2026-10-01,off,国庆节\n2026-10-10,work,调休\n2026-02-30,off,bad\n",
	      f);
	fclose(f);
	rc = run_cli(&srv, NULL, &out, "holidays", "load", path, NULL);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(out, "第 4 行"));
	free(out);
	rc = run_cli(&srv, NULL, &out, "holidays", "list", NULL);
	assert_int_equal(rc, 0);
	assert_null(strstr(out, "国庆节"));
	free(out);
	f = fopen(path, "w");
	fputs("day,kind,name\n2026-10-01,off,国庆节\n2026-10-10,work,调休\n", f);
	fclose(f);
	rc = run_cli(&srv, NULL, &out, "holidays", "load", path, NULL);
	assert_int_equal(rc, 0);
	free(out);
	rc = run_cli(&srv, NULL, &out, "holidays", "list", NULL);
	assert_non_null(strstr(out, "2026-10-01,off,国庆节"));
	assert_non_null(strstr(out, "2026-10-10,work,调休"));
	free(out);
	/* A name that would start a formula is listed guarded, and the list
	 * loaded back gives the same name, not one with an apostrophe. */
	f = fopen(path, "w");
	fputs("day,kind,name\n2026-10-02,off,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n", f);
	fclose(f);
	assert_int_equal(run_cli(&srv, NULL, &out, "holidays", "load", path, NULL), 0);
	free(out);
	rc = run_cli(&srv, NULL, &out, "holidays", "list", NULL);
	assert_non_null(strstr(out, "2026-10-02,off,\"'=HYPERLINK("));
	f = fopen(path, "w");
	fputs(out, f);
	fclose(f);
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "holidays", "load", path, NULL), 0);
	free(out);
	char name[128];
	sql_query(name, sizeof(name), "SELECT name FROM holidays WHERE day = '2026-10-02';");
	assert_string_equal(name, "=HYPERLINK(\"http://x\",\"y\")");
}

/* ---- edges and roles: helpers ---- */

static long long sql_int(const char *query)
{
	char v[256];
	sql_query(v, sizeof(v), query);
	return strtoll(v, NULL, 10);
}

/* send_body: METHOD path with a JSON body (or none) as c, the status
 * asserted; the answer's body (the caller frees). */
static char *send_body(struct client *c, const char *method, const char *path, const char *body,
		       long want)
{
	struct response r;
	char *out;

	assert_int_equal(api(c, &srv, method, path, body, &r), 0);
	if (r.status != want)
		fail_msg("%s %s %s: got %ld (%.300s), want %ld", method, path, body ? body : "",
			 r.status, r.body, want);
	out = strdup(r.body ? r.body : "");
	assert_non_null(out);
	response_release(&r);
	return out;
}

static char *get_body(struct client *c, const char *path, long want)
{
	return send_body(c, "GET", path, NULL, want);
}

/* object_at: a copy of the JSON object opening at p (the caller frees). */
static char *object_at(const char *p)
{
	int depth = 0, in_string = 0;
	const char *q;
	char *out;

	assert_true(*p == '{');
	for (q = p; *q; q++) {
		if (in_string) {
			if (*q == '\\' && q[1])
				q++;
			else if (*q == '"')
				in_string = 0;
		} else if (*q == '"') {
			in_string = 1;
		} else if (*q == '{') {
			depth++;
		} else if (*q == '}' && !--depth) {
			break;
		}
	}
	assert_true(*q == '}');
	out = strndup(p, (size_t)(q - p + 1));
	assert_non_null(out);
	return out;
}

/* item_with_id: a copy of the case object with this id in a list (cases
 * open with their id), or NULL. */
static char *item_with_id(const char *body, long long id)
{
	char pat[48];
	const char *p;

	snprintf(pat, sizeof(pat), "{\"id\":%lld,", id);
	p = strstr(body, pat);
	return p ? object_at(p) : NULL;
}

/* first_object_in: a copy of the first object of the array named key. */
static char *first_object_in(const char *body, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":[{", key);
	p = strstr(body, pat);
	if (!p)
		fail_msg("no objects in %s: %.300s", key, body);
	return object_at(p + strlen(pat) - 1);
}

/* json_true: the first "key" holds true (false: false; absent: fails). */
static int json_true(const char *body, const char *key)
{
	char pat[80];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(body, pat);
	if (!p)
		fail_msg("no %s in %.300s", key, body);
	return !strncmp(p + strlen(pat), "true", 4);
}

/* str_is: the first string "key" equals want. */
static void str_is(const char *body, const char *key, const char *want)
{
	char v[256];

	json_str(body, key, v, sizeof(v));
	if (strcmp(v, want))
		fail_msg("%s: got \"%s\", want \"%s\"", key, v, want);
}

/* overdue_count: counts.overdue of a list answer (counts come last). */
static long long overdue_count(const char *body)
{
	const char *p = strstr(body, "\"counts\":");
	assert_non_null(p);
	return json_int(p, "overdue");
}

/* new_case files body as c (201 asserted). OUT: the tracking code. */
static long long new_case(struct client *c, const char *body, char *code, size_t n)
{
	char *v = send_body(c, "POST", "/api/v1/cases", body, 201);
	long long id = json_int(v, "id");

	if (code)
		json_str(v, "tracking_code", code, n);
	free(v);
	return id;
}

static char *case_body(struct client *c, long long id, long want)
{
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", id);
	return get_body(c, path, want);
}

/* track_call: the reporter's POST /api/v1/track/CODE/WHAT, status
 * asserted; the answer (the caller frees). */
static char *track_call(const char *code, const char *what, const char *body, long want)
{
	struct client anon;
	struct response r;
	char path[96], *out;

	client_init(&anon);
	snprintf(path, sizeof(path), "/api/v1/track/%s/%s", code, what);
	assert_int_equal(request(&anon, &srv, "POST", path, body, "application/json", NULL, &r), 0);
	if (r.status != want)
		fail_msg("%s %s: got %ld (%.300s), want %ld", path, body, r.status, r.body, want);
	out = strdup(r.body ? r.body : "");
	assert_non_null(out);
	response_release(&r);
	client_release(&anon);
	return out;
}

/* ---- working days, computed here on their own (timegm, gmtime) ---- */

#define SH_OFFSET 28800
static long long off_days[400], work_days[400];
static int noff, nwork;

static long long civil_day(int y, int m, int d)
{
	struct tm t;
	memset(&t, 0, sizeof(t));
	t.tm_year = y - 1900;
	t.tm_mon = m - 1;
	t.tm_mday = d;
	return (long long)(timegm(&t) / 86400);
}

/* load_holidays reads `linli holidays list` (day,kind,name lines). */
static void load_holidays(void)
{
	char *out = NULL, *line;

	noff = nwork = 0;
	assert_int_equal(run_cli(&srv, NULL, &out, "holidays", "list", NULL), 0);
	for (line = out; line && *line;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strlen(line) > 11 && line[4] == '-' && line[7] == '-' && line[10] == ',') {
			long long day =
			    civil_day((int)strtol(line, NULL, 10), (int)strtol(line + 5, NULL, 10),
				      (int)strtol(line + 8, NULL, 10));
			if (!strncmp(line + 11, "work", 4) && nwork < 400)
				work_days[nwork++] = day;
			else if (!strncmp(line + 11, "off", 3) && noff < 400)
				off_days[noff++] = day;
		}
		line = next;
	}
	free(out);
}

static int listed(const long long *days, int n, long long day)
{
	for (int i = 0; i < n; i++)
		if (days[i] == day)
			return 1;
	return 0;
}

static int working(long long day)
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	if (listed(off_days, noff, day))
		return 0;
	if (tm.tm_wday == 0 || tm.tm_wday == 6)
		return listed(work_days, nwork, day);
	return 1;
}

/* due_after: 23:59:59 Shanghai time of the nth working day after the
 * Shanghai day of t, as epoch seconds. */
static long long due_after(long long t, int n)
{
	long long day = (t + SH_OFFSET) / 86400;

	for (int counted = 0; counted < n;) {
		day++;
		if (working(day))
			counted++;
	}
	return (day + 1) * 86400 - SH_OFFSET - 1;
}

/* due_is: the first "key" of body is due_after(t, n) for a t between
 * before and after (the server's clock ran while the request did). */
static void due_is(const char *body, const char *key, long long before, long long after, int n)
{
	long long v = json_int(body, key);

	if (v != due_after(before, n) && v != due_after(after, n))
		fail_msg("%s: got %lld, want %lld (%d working days)", key, v, due_after(before, n),
			 n);
}

/* ---- edges and roles: tests ---- */

/* The reporter's rating at its edges: 0 and 6 refused, 2 sends the case
 * back, 3 confirms it; one rating per resolution, and the tracking page
 * stops offering the form once rated. */
static void test_rating_edges(void **state)
{
	struct client staff, anon;
	struct response r;
	char code[16], body[160], path[96], *v;
	long long id, team;

	(void)state;
	login_as(&staff, "staff");
	team = team_id(&staff, "%E5%B7%A1%E9%80%BB"); /* 巡逻 */
	id = new_case(&staff, "{\"category\":\"repair\",\"description\":\"R-edge 单元门锁坏了\"}",
		      code, sizeof(code));
	snprintf(body, sizeof(body), "{\"action\":\"assign\",\"handler_team_id\":%lld}", team);
	act(&staff, id, "{\"action\":\"accept\"}", 200);
	act(&staff, id, body, 200);
	/* Not resolved yet: no rating. */
	free(track_call(code, "rating", "{\"rating\":5}", 409));
	act(&staff, id, "{\"action\":\"resolve\",\"note\":\"换了锁\",\"public\":true}", 200);
	free(track_call(code, "rating", "{\"rating\":6}", 422));
	free(track_call(code, "rating", "{\"rating\":0}", 422));
	free(track_call(code, "rating", "{\"rating\":\"6\"}", 422));
	v = case_body(&staff, id, 200);
	str_is(v, "state", "resolved");
	assert_non_null(strstr(v, "\"rating\":null"));
	free(v);
	/* Two stars: back for review. */
	v = track_call(code, "rating", "{\"rating\":2}", 200);
	str_is(v, "state", "reopened");
	free(v);
	/* (as if rated a minute ago: one rating per resolution is told by
	 * the seconds of the rating and of the next resolution) */
	snprintf(path, sizeof(path), "UPDATE cases SET rated_at = rated_at - 60 WHERE id = %lld;",
		 id);
	sql_exec(path);
	act(&staff, id, "{\"action\":\"accept\"}", 200);
	act(&staff, id, body, 200);
	act(&staff, id, "{\"action\":\"resolve\",\"note\":\"再次换锁\",\"public\":true}", 200);
	/* Resolved anew: the form is back. */
	client_init(&anon);
	snprintf(path, sizeof(path), "/track/%s", code);
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "name=\"rating\""));
	response_release(&r);
	/* Three stars: confirmed and closed. */
	v = track_call(code, "rating", "{\"rating\":3}", 200);
	str_is(v, "state", "closed");
	assert_int_equal(json_int(v, "rating"), 3);
	assert_false(json_true(v, "can_rate"));
	free(v);
	/* Once per resolution, also on a closed case. */
	free(track_call(code, "rating", "{\"rating\":4}", 409));
	v = case_body(&staff, id, 200);
	assert_int_equal(json_int(v, "rating"), 3);
	free(v);
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "name=\"rating\""));
	assert_non_null(strstr(r.body, "/reopen\"")); /* reopening stays possible */
	response_release(&r);
	client_release(&anon);
	client_release(&staff);
}

/* "It happened again" only while the case is open; a resolved one is
 * reopened instead. */
static void test_recur_only_while_open(void **state)
{
	struct client staff;
	char code[16], body[160], *v;
	long long id, team;

	(void)state;
	login_as(&staff, "staff");
	team = team_id(&staff, "%E5%B7%A1%E9%80%BB");
	id = new_case(&staff, "{\"category\":\"safety\",\"description\":\"B-recur 楼道堆物\"}",
		      code, sizeof(code));
	v = track_call(code, "recur", "{\"note\":\"又堆了\"}", 200);
	assert_int_equal(json_int(v, "recurrences"), 1);
	free(v);
	act(&staff, id, "{\"action\":\"accept\"}", 200);
	snprintf(body, sizeof(body), "{\"action\":\"assign\",\"handler_team_id\":%lld}", team);
	act(&staff, id, body, 200);
	v = track_call(code, "recur", "{}", 200); /* assigned: still open */
	assert_int_equal(json_int(v, "recurrences"), 2);
	free(v);
	act(&staff, id, "{\"action\":\"resolve\",\"note\":\"清走了\"}", 200);
	free(track_call(code, "recur", "{\"note\":\"again\"}", 409));
	v = case_body(&staff, id, 200);
	assert_int_equal(json_int(v, "recurrences"), 2);
	str_is(v, "state", "resolved");
	free(v);
	client_release(&staff);
}

/* The 15-day limit: only the secretary approves it; the deadline is 15
 * working days from the report (5 again when made ordinary), computed
 * here from the holiday list; only she sees the button. */
static void test_complex_approval(void **state)
{
	struct client staff, secretary;
	struct response r;
	char path[96], *v;
	long long id, created;

	(void)state;
	login_as(&staff, "staff");
	login_as(&secretary, "secretary");
	load_holidays();
	id = new_case(&staff, "{\"category\":\"repair\",\"description\":\"C-complex 外墙渗水\"}",
		      NULL, 0);
	v = case_body(&staff, id, 200);
	created = json_int(v, "created_at");
	assert_int_equal(json_int(v, "accept_due"), due_after(created, 1));
	assert_int_equal(json_int(v, "resolve_due"), due_after(created, 5));
	free(v);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/complex", id);
	free(send_body(&staff, "POST", path, "{\"complex\":true}", 403));
	v = case_body(&staff, id, 200);
	assert_false(json_true(v, "complex"));
	free(v);
	free(send_body(&secretary, "POST", path, "{\"complex\":true}", 200));
	v = case_body(&staff, id, 200);
	assert_true(json_true(v, "complex"));
	assert_int_equal(json_int(v, "resolve_due"), due_after(created, 15));
	free(v);
	/* The button: the secretary's page, not staff's. */
	snprintf(path, sizeof(path), "/cases/%lld", id);
	assert_int_equal(request(&secretary, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	snprintf(path, sizeof(path), "action=\"/cases/%lld/complex\"", id);
	assert_non_null(strstr(r.body, path));
	response_release(&r);
	snprintf(path, sizeof(path), "/cases/%lld", id);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	snprintf(path, sizeof(path), "action=\"/cases/%lld/complex\"", id);
	assert_null(strstr(r.body, path));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/complex", id);
	free(send_body(&secretary, "POST", path, "{\"complex\":false}", 200));
	v = case_body(&staff, id, 200);
	assert_int_equal(json_int(v, "resolve_due"), due_after(created, 5));
	free(v);
	client_release(&secretary);
	client_release(&staff);
}

/* A mediation session needs its date, parties and mediators: each left
 * out in turn is refused, and so is an impossible follow-up date. */
static void test_mediation_fields(void **state)
{
	static const char *const bad[] = {
	    "{\"parties\":\"A\",\"mediators\":\"B\"}",
	    "{\"held_on\":\"2026-11-30\",\"mediators\":\"B\"}",
	    "{\"held_on\":\"2026-11-30\",\"parties\":\"A\"}",
	    "{\"held_on\":\"2026-11-30\",\"parties\":\"\",\"mediators\":\"B\"}",
	    "{\"held_on\":\"2026-11-30\",\"parties\":\"A\",\"mediators\":\"\"}",
	    "{\"held_on\":\"2026-11-31\",\"parties\":\"A\",\"mediators\":\"B\"}",
	    "{\"held_on\":\"2026-11-30\",\"parties\":\"A\",\"mediators\":\"B\","
	    "\"follow_up_on\":\"2026-02-30\"}",
	    "{\"held_on\":\"2026-11-30\",\"parties\":\"A\",\"mediators\":\"B\","
	    "\"follow_up_on\":\"next week\"}",
	};
	struct client member, staff;
	char path[96], *v;
	long long id;

	(void)state;
	login_as(&member, "member");
	login_as(&staff, "staff");
	id = new_case(&staff, "{\"category\":\"dispute\",\"description\":\"D-med 停车纠纷\"}", NULL,
		      0);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/mediations", id);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		free(send_body(&member, "POST", path, bad[i], 422));
	v = case_body(&member, id, 200);
	assert_non_null(strstr(v, "\"mediations\":[]"));
	free(v);
	free(send_body(&member, "POST", path,
		       "{\"held_on\":\"2026-11-30\",\"parties\":\"A\",\"mediators\":\"B\","
		       "\"follow_up_on\":\"2026-12-31\"}",
		       201));
	v = case_body(&member, id, 200);
	assert_non_null(strstr(v, "\"follow_up_on\":\"2026-12-31\""));
	free(v);
	client_release(&staff);
	client_release(&member);
}

/* Reopening starts the clock again; then a reopened case past its
 * acceptance deadline is overdue, in the case, the count and the filter,
 * and so is an accepted one past its resolution deadline; a resolved case
 * past its deadline is not. */
static void test_reopen_and_overdue(void **state)
{
	struct client staff;
	char code[16], body[160], sqlbuf[512], *v, *row;
	long long id, team, before, after, overdue0;

	(void)state;
	login_as(&staff, "staff");
	load_holidays();
	team = team_id(&staff, "%E5%B7%A1%E9%80%BB");
	id = new_case(&staff, "{\"category\":\"other\",\"description\":\"E-reopen 路灯不亮\"}",
		      code, sizeof(code));
	act(&staff, id, "{\"action\":\"accept\"}", 200);
	snprintf(body, sizeof(body), "{\"action\":\"assign\",\"handler_team_id\":%lld}", team);
	act(&staff, id, body, 200);
	act(&staff, id, "{\"action\":\"resolve\",\"note\":\"修好了\",\"public\":true}", 200);
	/* Forty days ago. */
	snprintf(
	    sqlbuf, sizeof(sqlbuf),
	    "UPDATE cases SET created_at = created_at - 3456000, accept_due = accept_due - "
	    "3456000, resolve_due = resolve_due - 3456000, accepted_at = accepted_at - 3456000,"
	    " resolved_at = resolved_at - 3456000 WHERE id = %lld;",
	    id);
	sql_exec(sqlbuf);
	v = case_body(&staff, id, 200);
	assert_false(json_true(v, "overdue")); /* resolved: nothing left to do */
	free(v);
	v = get_body(&staff, "/api/v1/cases?overdue=1&per_page=500", 200);
	assert_null(item_with_id(v, id));
	free(v);
	/* The reporter reopens it: new deadlines from now. */
	before = (long long)time(NULL);
	v = track_call(code, "reopen", "{\"note\":\"又不亮了\"}", 200);
	after = (long long)time(NULL);
	str_is(v, "state", "reopened");
	free(v);
	v = case_body(&staff, id, 200);
	due_is(v, "accept_due", before, after, 1);
	due_is(v, "resolve_due", before, after, 5);
	assert_false(json_true(v, "overdue"));
	free(v);
	v = get_body(&staff, "/api/v1/cases?per_page=1", 200);
	overdue0 = overdue_count(v);
	free(v);
	/* Past its acceptance deadline only (the resolution one is days off). */
	snprintf(sqlbuf, sizeof(sqlbuf), "UPDATE cases SET accept_due = %lld WHERE id = %lld;",
		 (long long)time(NULL) - 60, id);
	sql_exec(sqlbuf);
	v = case_body(&staff, id, 200);
	assert_true(json_true(v, "overdue"));
	free(v);
	v = get_body(&staff, "/api/v1/cases?overdue=1&per_page=500", 200);
	row = item_with_id(v, id);
	assert_non_null(row);
	free(row);
	assert_int_equal(overdue_count(v), overdue0 + 1);
	free(v);
	/* Accepted: the acceptance deadline no longer counts. */
	act(&staff, id, "{\"action\":\"accept\"}", 200);
	v = case_body(&staff, id, 200);
	assert_false(json_true(v, "overdue"));
	free(v);
	v = get_body(&staff, "/api/v1/cases?per_page=1", 200);
	assert_int_equal(overdue_count(v), overdue0);
	free(v);
	/* Accepted and past its resolution deadline: overdue again, in the
	 * case, the filter and the count. */
	snprintf(sqlbuf, sizeof(sqlbuf), "UPDATE cases SET resolve_due = %lld WHERE id = %lld;",
		 (long long)time(NULL) - 60, id);
	sql_exec(sqlbuf);
	v = case_body(&staff, id, 200);
	assert_true(json_true(v, "overdue"));
	free(v);
	v = get_body(&staff, "/api/v1/cases?overdue=1&per_page=500", 200);
	row = item_with_id(v, id);
	assert_non_null(row);
	free(row);
	assert_int_equal(overdue_count(v), overdue0 + 1);
	free(v);
	client_release(&staff);
}

/* A referral: the agency has five working days (computed here), it is
 * overdue once they pass unanswered and no longer once answered; every
 * move leaves its audit entry. */
static void test_referral_due_and_audit(void **state)
{
	static const char *const moves[] = {"create", "accept", "assign", "refer", "agency_answer"};
	struct client staff, agency;
	char body[200], sqlbuf[400], *v, *ref;
	long long id, team, unit, before, after;

	(void)state;
	login_as(&staff, "staff");
	login_as(&agency, "agency");
	load_holidays();
	team = team_id(&staff, "%E5%B7%A1%E9%80%BB");
	v = get_body(&staff, "/api/v1/units?q=%E5%9F%8E%E7%AE%A1", 200); /* 城管 */
	unit = json_int(v, "id");
	free(v);
	id = new_case(&staff, "{\"category\":\"shop\",\"description\":\"F-refer 夜市油烟\"}", NULL,
		      0);
	act(&staff, id, "{\"action\":\"accept\"}", 200);
	snprintf(body, sizeof(body), "{\"action\":\"assign\",\"handler_team_id\":%lld}", team);
	act(&staff, id, body, 200);
	snprintf(body, sizeof(body),
		 "{\"action\":\"refer\",\"agency_unit_id\":%lld,\"reference\":\"F-1\"}", unit);
	before = (long long)time(NULL);
	act(&staff, id, body, 200);
	after = (long long)time(NULL);
	v = case_body(&staff, id, 200);
	ref = first_object_in(v, "referrals");
	due_is(ref, "due_at", before, after, 5);
	assert_false(json_true(ref, "overdue"));
	free(ref);
	free(v);
	snprintf(sqlbuf, sizeof(sqlbuf), "UPDATE referrals SET due_at = %lld WHERE case_id = %lld;",
		 (long long)time(NULL) - 1, id);
	sql_exec(sqlbuf);
	v = case_body(&staff, id, 200);
	ref = first_object_in(v, "referrals");
	assert_true(json_true(ref, "overdue"));
	free(ref);
	free(v);
	act(&agency, id, "{\"action\":\"agency_answer\",\"note\":\"已约谈\"}", 200);
	v = case_body(&staff, id, 200);
	ref = first_object_in(v, "referrals");
	str_is(ref, "answer", "已约谈");
	assert_false(json_true(ref, "overdue"));
	free(ref);
	free(v);
	/* The audit log: one entry for the report and one per move. */
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		snprintf(sqlbuf, sizeof(sqlbuf),
			 "SELECT COUNT(*) FROM audit_log WHERE entity = 'cases' AND entity_id = "
			 "%lld AND action = '%s';",
			 id, moves[i]);
		if (sql_int(sqlbuf) != 1)
			fail_msg("audit entries for %s: want 1", moves[i]);
	}
	client_release(&agency);
	client_release(&staff);
}

/* Every role that may read cases, against a private dispute and an
 * ordinary report with the reporter's name, phone and e-mail: which rows
 * the JSON list and the queue page hold, which fields they show, and who
 * gets the bulk checkboxes. Roles without case access are refused. */
static void test_roles_see_rows_and_fields(void **state)
{
	static const struct {
		const char *user;
		int private_rows; /* sees the dispute and who reported */
		int full_phone;	  /* phone and e-mail in full */
		int bulk;	  /* the bulk-assignment checkboxes */
	} roles[] = {
	    {"secretary", 1, 1, 1}, {"staff", 1, 1, 1},	 {"member", 1, 0, 0},
	    {"volunteer", 0, 0, 0}, {"agency", 0, 0, 0},
	};
	static const char *const refused[] = {"resident", "liaison"};
	struct client staff;
	struct response r;
	char href[96];
	long long dispute, open_id;

	(void)state;
	login_as(&staff, "staff");
	dispute = new_case(&staff,
			   "{\"category\":\"dispute\",\"description\":\"H-role 私下纠纷\","
			   "\"reporter_name\":\"孙某\",\"reporter_phone\":\"13722223333\","
			   "\"reporter_email\":\"sun@example.org\"}",
			   NULL, 0);
	open_id = new_case(&staff,
			   "{\"category\":\"other\",\"description\":\"H-role 公共座椅坏了\","
			   "\"reporter_name\":\"李某\",\"reporter_phone\":\"13844445555\","
			   "\"reporter_email\":\"li@example.org\"}",
			   NULL, 0);
	client_release(&staff);
	for (size_t k = 0; k < sizeof(roles) / sizeof(roles[0]); k++) {
		struct client c;
		char *list, *row;
		login_as(&c, roles[k].user);
		list = get_body(&c, "/api/v1/cases?per_page=500", 200);
		row = item_with_id(list, dispute);
		if ((row != NULL) != roles[k].private_rows)
			fail_msg("%s: the dispute in the list: %d", roles[k].user, row != NULL);
		free(row);
		row = item_with_id(list, open_id);
		if (!row)
			fail_msg("%s: the ordinary report is missing", roles[k].user);
		str_is(row, "reporter_name", roles[k].private_rows ? "李某" : "");
		str_is(row, "reporter_phone",
		       roles[k].full_phone     ? "13844445555"
		       : roles[k].private_rows ? "138****5555"
					       : "");
		str_is(row, "reporter_email", roles[k].full_phone ? "li@example.org" : "");
		free(row);
		if (!roles[k].private_rows)
			assert_null(strstr(list, "私下纠纷"));
		free(list);
		/* One case by its id: the same fields. */
		row = case_body(&c, dispute, roles[k].private_rows ? 200 : 404);
		if (roles[k].private_rows) {
			str_is(row, "reporter_name", "孙某");
			str_is(row, "reporter_phone",
			       roles[k].full_phone ? "13722223333" : "137****3333");
			str_is(row, "reporter_email", roles[k].full_phone ? "sun@example.org" : "");
		} else {
			assert_null(strstr(row, "私下纠纷"));
		}
		free(row);
		/* The queue page. */
		assert_int_equal(request(&c, &srv, "GET", "/cases", NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		snprintf(href, sizeof(href), "<a href=\"/cases/%lld\">", dispute);
		if ((strstr(r.body, href) != NULL) != roles[k].private_rows)
			fail_msg("%s: the dispute on the queue page", roles[k].user);
		snprintf(href, sizeof(href), "<a href=\"/cases/%lld\">", open_id);
		assert_non_null(strstr(r.body, href));
		if ((strstr(r.body, "name=\"id\"") != NULL) != roles[k].bulk)
			fail_msg("%s: bulk checkboxes", roles[k].user);
		if ((strstr(r.body, "action=\"/cases/bulk-assign\"") != NULL) != roles[k].bulk)
			fail_msg("%s: bulk form", roles[k].user);
		assert_null(strstr(r.body, "13722223333"));
		assert_null(strstr(r.body, "13844445555"));
		response_release(&r);
		/* The case page of the dispute. */
		snprintf(href, sizeof(href), "/cases/%lld", dispute);
		assert_int_equal(request(&c, &srv, "GET", href, NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, roles[k].private_rows ? 200 : 404);
		assert_null(strstr(r.body, roles[k].full_phone ? "137****3333" : "13722223333"));
		assert_null(strstr(r.body, roles[k].full_phone ? "@@" : "sun@example.org"));
		if (!roles[k].private_rows)
			assert_null(strstr(r.body, "私下纠纷"));
		response_release(&r);
		client_release(&c);
	}
	/* No case access at all. */
	for (size_t k = 0; k < sizeof(refused) / sizeof(refused[0]); k++) {
		struct client c;
		login_as(&c, refused[k]);
		free(get_body(&c, "/api/v1/cases", 403));
		assert_int_equal(request(&c, &srv, "GET", "/cases", NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 403);
		assert_null(strstr(r.body, "H-role"));
		response_release(&r);
		client_release(&c);
	}
}

/* The API's validators at their edges: a 40-character name and a 41;
 * a resident may not choose the channel; 500 rows a page and not 501;
 * the "to" date includes its own day. */
static void test_api_edges(void **state)
{
	struct client staff, resident;
	char body[600], name[200], path[160], day[16], prev[16], *v, *row;
	long long id, created;
	time_t t;
	struct tm tm;

	(void)state;
	login_as(&staff, "staff");
	for (int i = 0; i < 40; i++)
		memcpy(name + 3 * i, "王", 3);
	name[120] = '\0';
	snprintf(body, sizeof(body),
		 "{\"category\":\"other\",\"description\":\"I-edge\",\"reporter_name\":\"%s\"}",
		 name);
	id = new_case(&staff, body, NULL, 0);
	snprintf(body, sizeof(body),
		 "{\"category\":\"other\",\"description\":\"I-edge\",\"reporter_name\":\"%s王\"}",
		 name);
	v = send_body(&staff, "POST", "/api/v1/cases", body, 422);
	assert_non_null(strstr(v, "\"fields\":{\"reporter_name\""));
	free(v);
	/* Characters an XML answer could not carry (Unicode's non-characters)
	 * are refused in every text field, each named with its reason. */
	{
		static const char *const bad[][2] = {
		    {"{\"category\":\"other\",\"description\":\"I-\\uFFFE\"}", "description"},
		    {"{\"category\":\"other\",\"description\":\"I-edge\",\"address\":\"\\uFFFF\"}",
		     "address"},
		    {"{\"category\":\"other\",\"description\":\"I-edge\","
		     "\"reporter_name\":\"\\uFDD0\"}",
		     "reporter_name"},
		};
		char want[64];
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			v = send_body(&staff, "POST", "/api/v1/cases", bad[i][0], 422);
			snprintf(want, sizeof(want), "\"fields\":{\"%s\"", bad[i][1]);
			assert_non_null(strstr(v, want));
			assert_non_null(strstr(v, "含有无效字符"));
			free(v);
		}
	}
	/* A resident reports on the web, never "by phone". */
	login_as(&resident, "resident");
	free(send_body(&resident, "POST", "/api/v1/cases",
		       "{\"category\":\"other\",\"description\":\"I-chan\",\"channel\":\"phone\"}",
		       422));
	free(send_body(
	    &resident, "POST", "/api/v1/cases",
	    "{\"category\":\"other\",\"description\":\"I-chan\",\"channel\":\"walk_in\"}", 422));
	v = send_body(&resident, "POST", "/api/v1/cases",
		      "{\"category\":\"other\",\"description\":\"I-chan\",\"channel\":\"web\"}",
		      201);
	str_is(v, "channel", "web");
	free(v);
	client_release(&resident);
	/* Paging limits. */
	free(get_body(&staff, "/api/v1/cases?per_page=500", 200));
	free(get_body(&staff, "/api/v1/cases?per_page=501", 400));
	free(get_body(&staff, "/api/v1/cases?per_page=0", 400));
	free(get_body(&staff, "/api/v1/cases?page=0", 400));
	/* The case's own Shanghai day, and the day before. */
	v = case_body(&staff, id, 200);
	created = json_int(v, "created_at");
	free(v);
	t = (time_t)(created + SH_OFFSET);
	gmtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	t -= 86400;
	gmtime_r(&t, &tm);
	strftime(prev, sizeof(prev), "%Y-%m-%d", &tm);
	snprintf(path, sizeof(path), "/api/v1/cases?from=%s&to=%s&per_page=500", day, day);
	v = get_body(&staff, path, 200);
	row = item_with_id(v, id);
	assert_non_null(row);
	free(row);
	free(v);
	snprintf(path, sizeof(path), "/api/v1/cases?to=%s&per_page=500", prev);
	v = get_body(&staff, path, 200);
	assert_null(item_with_id(v, id));
	free(v);
	snprintf(path, sizeof(path), "/api/v1/cases?from=%s&to=%s&per_page=500", prev, prev);
	v = get_body(&staff, path, 200);
	assert_null(item_with_id(v, id));
	free(v);
	/* Across midnight in Shanghai: one case at 00:00:00 of that day, one
	 * at 23:59:59 of the day before; each in its own day's list only. */
	{
		long long midnight = (created + SH_OFFSET) / 86400 * 86400 - SH_OFFSET;
		long long late = new_case(
		    &staff, "{\"category\":\"other\",\"description\":\"I-late\"}", NULL, 0);
		char sqlbuf[200];
		snprintf(sqlbuf, sizeof(sqlbuf),
			 "UPDATE cases SET created_at = %lld WHERE id = %lld; UPDATE cases SET "
			 "created_at = %lld WHERE id = %lld;",
			 midnight, id, midnight - 1, late);
		sql_exec(sqlbuf);
		snprintf(path, sizeof(path), "/api/v1/cases?from=%s&to=%s&per_page=500", day, day);
		v = get_body(&staff, path, 200);
		row = item_with_id(v, id);
		assert_non_null(row);
		free(row);
		assert_null(item_with_id(v, late));
		free(v);
		snprintf(path, sizeof(path), "/api/v1/cases?from=%s&to=%s&per_page=500", prev,
			 prev);
		v = get_body(&staff, path, 200);
		row = item_with_id(v, late);
		assert_non_null(row);
		free(row);
		assert_null(item_with_id(v, id));
		free(v);
	}
	client_release(&staff);
}

/* A team's cases reach the inbox of its members, not of someone who has
 * left the team. */
static void test_inbox_team_members(void **state)
{
	struct client staff, volunteer;
	char sqlbuf[600], body[200], pat[64], *v;
	long long team, tm_id, first, second;

	(void)state;
	login_as(&staff, "staff");
	login_as(&volunteer, "volunteer");
	team = team_id(&staff, "%E5%B7%A1%E9%80%BB");
	snprintf(sqlbuf, sizeof(sqlbuf),
		 "SELECT MIN(id) FROM team_members WHERE team_id = %lld AND left_on IS NULL;",
		 team);
	tm_id = sql_int(sqlbuf);
	assert_true(tm_id > 0);
	/* The volunteer's account is that member's. */
	snprintf(sqlbuf, sizeof(sqlbuf),
		 "UPDATE users SET resident_id = (SELECT resident_id FROM team_members WHERE id = "
		 "%lld) WHERE username = 'volunteer';",
		 tm_id);
	sql_exec(sqlbuf);
	snprintf(body, sizeof(body), "{\"action\":\"assign\",\"handler_team_id\":%lld}", team);
	first = new_case(&staff, "{\"category\":\"other\",\"description\":\"J-inbox 1\"}", NULL, 0);
	act(&staff, first, "{\"action\":\"accept\"}", 200);
	act(&staff, first, body, 200);
	v = get_body(&volunteer, "/api/v1/inbox", 200);
	snprintf(pat, sizeof(pat), "\"case_id\":%lld,", first);
	assert_non_null(strstr(v, pat));
	free(v);
	/* Left the team: the next case goes to the others only. */
	snprintf(sqlbuf, sizeof(sqlbuf),
		 "UPDATE team_members SET left_on = '2026-01-01' WHERE id = %lld;", tm_id);
	sql_exec(sqlbuf);
	second =
	    new_case(&staff, "{\"category\":\"other\",\"description\":\"J-inbox 2\"}", NULL, 0);
	act(&staff, second, "{\"action\":\"accept\"}", 200);
	act(&staff, second, body, 200);
	v = get_body(&volunteer, "/api/v1/inbox", 200);
	snprintf(pat, sizeof(pat), "\"case_id\":%lld,", second);
	assert_null(strstr(v, pat));
	free(v);
	snprintf(sqlbuf, sizeof(sqlbuf),
		 "UPDATE team_members SET left_on = NULL WHERE id = %lld; UPDATE users SET "
		 "resident_id = NULL WHERE username = 'volunteer';",
		 tm_id);
	sql_exec(sqlbuf);
	client_release(&volunteer);
	client_release(&staff);
}

/* Volunteers and agencies cannot see private disputes, so they cannot
 * work on one either: an action, a note or a mediation session on one is
 * "not found" (and tells nothing of it), on the API and on the page. */
static void test_private_cases_untouchable(void **state)
{
	static const char *const outsiders[] = {"volunteer", "agency"};
	struct client staff;
	struct response r;
	char body[160], path[200], *v;
	long long id, team;

	(void)state;
	login_as(&staff, "staff");
	team = team_id(&staff, "%E5%85%88%E9%94%8B"); /* 先锋 */
	id = new_case(&staff,
		      "{\"category\":\"dispute\",\"description\":\"K-priv 隔壁吵架\","
		      "\"reporter_name\":\"周某\",\"reporter_phone\":\"13566667777\"}",
		      NULL, 0);
	act(&staff, id, "{\"action\":\"accept\"}", 200);
	snprintf(body, sizeof(body), "{\"action\":\"assign\",\"handler_team_id\":%lld}", team);
	act(&staff, id, body, 200);
	for (size_t k = 0; k < sizeof(outsiders) / sizeof(outsiders[0]); k++) {
		struct client c;
		login_as(&c, outsiders[k]);
		snprintf(path, sizeof(path), "/api/v1/cases/%lld/actions", id);
		v = send_body(&c, "POST", path, "{\"action\":\"start\"}", 404);
		assert_null(strstr(v, "隔壁吵架"));
		free(v);
		snprintf(path, sizeof(path), "/api/v1/cases/%lld/notes", id);
		free(send_body(&c, "POST", path, "{\"note\":\"K-priv outsider note\"}", 404));
		snprintf(path, sizeof(path), "/api/v1/cases/%lld/mediations", id);
		free(send_body(&c, "POST", path,
			       "{\"held_on\":\"2026-11-30\",\"parties\":\"A\",\"mediators\":\"B\"}",
			       404));
		/* The page forms too. */
		snprintf(path, sizeof(path), "/cases/%lld/act", id);
		snprintf(body, sizeof(body), "action=start&_csrf=%s", c.csrf);
		assert_int_equal(request(&c, &srv, "POST", path, body,
					 "application/x-www-form-urlencoded", NULL, &r),
				 0);
		assert_int_equal(r.status, 404);
		assert_null(strstr(r.body, "隔壁吵架"));
		response_release(&r);
		snprintf(path, sizeof(path), "/cases/%lld/note", id);
		snprintf(body, sizeof(body), "note=x&_csrf=%s", c.csrf);
		assert_int_equal(request(&c, &srv, "POST", path, body,
					 "application/x-www-form-urlencoded", NULL, &r),
				 0);
		assert_int_equal(r.status, 404);
		response_release(&r);
		client_release(&c);
	}
	/* Nothing happened to it. */
	v = case_body(&staff, id, 200);
	str_is(v, "state", "assigned");
	assert_null(strstr(v, "K-priv outsider note"));
	assert_non_null(strstr(v, "\"mediations\":[]"));
	free(v);
	/* Its photo: for the mediators, not for outsiders. */
	{
		struct client anon, member, volunteer;
		struct form f = {{0}, 0};
		unsigned char png[512];
		size_t n = make_png(png);
		char loc[256], code[16], sha[80];
		client_init(&anon);
		form_field(&f, "category", "dispute");
		form_field(&f, "description", "K-priv 楼上漏水");
		form_file(&f, "photo", "wall.png", "image/png", png, n);
		form_end(&f);
		assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
		assert_int_equal(r.status, 303);
		assert_non_null(header_value(&r, "Location", loc, sizeof(loc)));
		snprintf(code, sizeof(code), "%.10s", loc + 7);
		response_release(&r);
		client_release(&anon);
		snprintf(path, sizeof(path), "/api/v1/track/%s", code);
		v = get_body(&staff, path, 200);
		id = json_int(v, "id");
		free(v);
		v = case_body(&staff, id, 200);
		json_str(v, "sha256", sha, sizeof(sha));
		free(v);
		snprintf(path, sizeof(path), "/cases/%lld/photos/%s.png", id, sha);
		login_as(&member, "member");
		assert_int_equal(request(&member, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		assert_int_equal(memcmp(r.body, "\x89PNG", 4), 0);
		response_release(&r);
		login_as(&volunteer, "volunteer");
		assert_int_equal(request(&volunteer, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 404);
		assert_null(memmem(r.body, r.len, "\x89PNG", 4));
		response_release(&r);
		client_release(&volunteer);
		client_release(&member);
	}
	client_release(&staff);
}

/* One door: every route under /cases/:id and /api/v1/cases/:id, as the
 * server lists them (`linli routes`), tried on a private dispute with a
 * photo, a note and a mediation by every role that may not open it and by
 * nobody signed in. None answers 200 or 201, none shows the dispute's
 * text, reporter or phone, and the case is unchanged afterwards. The plan
 * does not mark it for them either. */
static void test_private_side_doors_enumerated(void **state)
{
	static const char *const outsiders[] = {"volunteer", "agency", "resident", "liaison", NULL};
	/* Bodies every work route would accept, so that a missing guard
	 * shows as a change to the case. */
	static const char work_json[] = "{\"action\":\"start\",\"note\":\"x\","
					"\"held_on\":\"2026-11-30\",\"parties\":\"A\","
					"\"mediators\":\"B\"}";
	static const char *const secrets[] = {"L-door 邻居纠纷", "吴某", "13911112222",
					      "1391****2222", "L-door staff note"};
	struct client staff;
	struct response r;
	char *routes = NULL, *before, *after, path[256], sha[80], code[16], loc[256];
	long long id;
	int tried = 0;

	(void)state;
	/* The private case: filed with a photo, then worked on by staff. */
	{
		struct client anon;
		struct form f = {{0}, 0};
		unsigned char png[512];
		size_t n = make_png(png);
		client_init(&anon);
		form_field(&f, "category", "dispute");
		form_field(&f, "description", "L-door 邻居纠纷");
		form_field(&f, "reporter_name", "吴某");
		form_field(&f, "reporter_phone", "13911112222");
		form_file(&f, "photo", "door.png", "image/png", png, n);
		form_end(&f);
		assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
		assert_int_equal(r.status, 303);
		assert_non_null(header_value(&r, "Location", loc, sizeof(loc)));
		snprintf(code, sizeof(code), "%.10s", loc + 7);
		response_release(&r);
		client_release(&anon);
	}
	login_as(&staff, "staff");
	snprintf(path, sizeof(path), "/api/v1/track/%s", code);
	before = get_body(&staff, path, 200);
	id = json_int(before, "id");
	free(before);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/notes", id);
	free(send_body(&staff, "POST", path, "{\"note\":\"L-door staff note\"}", 201));
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/mediations", id);
	free(send_body(&staff, "POST", path,
		       "{\"held_on\":\"2026-11-30\",\"parties\":\"A\",\"mediators\":\"B\"}", 201));
	before = case_body(&staff, id, 200);
	json_str(before, "sha256", sha, sizeof(sha));
	assert_int_equal(run_cli(&srv, NULL, &routes, "routes", NULL), 0);
	for (int k = 0; k == 0 || outsiders[k - 1]; k++) {
		const char *who = outsiders[k];
		struct client c;
		if (who)
			login_as(&c, who);
		else
			client_init(&c);
		for (char *line = routes; line && *line;) {
			char method[8] = "", pattern[128] = "", *end = strchr(line, '\n');
			const char *p;
			size_t n = 0;
			if (end)
				*end = '\0';
			size_t mlen = strcspn(line, " "), at = mlen + strspn(line + mlen, " ");
			size_t plen = strcspn(line + at, " ");
			if (mlen < sizeof(method) && plen < sizeof(pattern)) {
				memcpy(method, line, mlen);
				method[mlen] = '\0';
				memcpy(pattern, line + at, plen);
				pattern[plen] = '\0';
			}
			if ((!strncmp(pattern, "/cases/:id", 10) ||
			     !strncmp(pattern, "/api/v1/cases/:id", 17))) {
				/* The pattern with the case's id and its photo's file. */
				for (p = pattern; *p && n + 90 < sizeof(path); p++) {
					if (!strncmp(p, ":id", 3)) {
						n += (size_t)snprintf(path + n, sizeof(path) - n,
								      "%lld", id);
						p += 2;
					} else if (!strncmp(p, ":file", 5)) {
						n += (size_t)snprintf(path + n, sizeof(path) - n,
								      "%s.png", sha);
						p += 4;
					} else {
						path[n++] = *p;
					}
				}
				path[n] = '\0';
				if (!strncmp(path, "/api/", 5)) {
					assert_int_equal(
					    api(&c, &srv, method, path,
						strcmp(method, "GET") ? work_json : NULL, &r),
					    0);
				} else {
					char body[200];
					snprintf(body, sizeof(body),
						 "action=start&note=x&held_on=2026-11-30"
						 "&parties=A&mediators=B&_csrf=%s",
						 c.csrf);
					assert_int_equal(
					    request(&c, &srv, method, path,
						    strcmp(method, "GET") ? body : NULL,
						    strcmp(method, "GET")
							? "application/x-www-form-urlencoded"
							: NULL,
						    NULL, &r),
					    0);
				}
				if (r.status == 200 || r.status == 201)
					fail_msg("%s %s as %s answered %ld", method, path,
						 who ? who : "nobody", r.status);
				for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
					if (memmem(r.body, r.len, secrets[i], strlen(secrets[i])))
						fail_msg("%s %s as %s shows %s", method, path,
							 who ? who : "nobody", secrets[i]);
				response_release(&r);
				tried++;
			}
			if (end)
				*end = '\n';
			line = end ? end + 1 : NULL;
		}
		/* The plan marks it for no one of them. */
		if (who && strcmp(who, "resident") && strcmp(who, "liaison")) {
			char href[64];
			assert_int_equal(
			    request(&c, &srv, "GET", "/cases/map", NULL, NULL, NULL, &r), 0);
			assert_int_equal(r.status, 200);
			snprintf(href, sizeof(href), "/cases/%lld\"", id);
			assert_null(strstr(r.body, href));
			response_release(&r);
		}
		client_release(&c);
	}
	free(routes);
	/* Every route under the case (12 today), for five kinds of outsider. */
	assert_true(tried >= 5 * 12);
	after = case_body(&staff, id, 200);
	assert_string_equal(after, before);
	free(before);
	free(after);
	client_release(&staff);
}

/* The public form: an anonymous reporter cannot pick the channel, and a
 * phone number is checked like the registry's. */
static void test_public_form_edges(void **state)
{
	struct client anon, staff;
	struct response r;
	struct form f = {{0}, 0};
	char loc[256], code[16], path[96], *v;

	(void)state;
	client_init(&anon);
	login_as(&staff, "staff");
	form_field(&f, "category", "other");
	form_field(&f, "description", "M-form 井盖松动");
	form_field(&f, "channel", "phone");
	form_field(&f, "reporter_phone", "12345");
	form_field(&f, "confirm_new", "1");
	form_end(&f);
	assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "name=\"reporter_phone\""));
	response_release(&r);
	memset(&f, 0, sizeof(f));
	form_field(&f, "category", "other");
	form_field(&f, "description", "M-form 井盖松动");
	form_field(&f, "channel", "phone");
	form_field(&f, "reporter_phone", "13812345678");
	form_field(&f, "confirm_new", "1");
	form_end(&f);
	assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
	assert_int_equal(r.status, 303);
	assert_non_null(header_value(&r, "Location", loc, sizeof(loc)));
	snprintf(code, sizeof(code), "%.10s", loc + 7);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/track/%s", code);
	v = get_body(&staff, path, 200);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", json_int(v, "id"));
	free(v);
	v = get_body(&staff, path, 200);
	str_is(v, "channel", "web");
	str_is(v, "reporter_phone", "13812345678");
	free(v);
	client_release(&staff);
	client_release(&anon);
}

/* Possible duplicates at the threshold: the same building (45) and 12.25
 * of the 14 days gone (40 × 0.125 = 5) is exactly 50 and suggested; 13
 * days gone (3 left) is 48 and not. */
static void test_duplicate_threshold(void **state)
{
	struct client staff;
	char body[200], sqlbuf[300], *v, *row;
	const char *dups;
	long long building, at50, at48, fresh;

	(void)state;
	login_as(&staff, "staff");
	building = sql_int("SELECT MAX(id) FROM buildings WHERE archived = 0;");
	assert_true(building > 0);
	snprintf(body, sizeof(body),
		 "{\"category\":\"pet_waste\",\"description\":\"N-dup\",\"building_id\":%lld}",
		 building);
	at50 = new_case(&staff, body, NULL, 0);
	at48 = new_case(&staff, body, NULL, 0);
	snprintf(sqlbuf, sizeof(sqlbuf),
		 "UPDATE cases SET created_at = created_at - 1058400 WHERE id = %lld;"
		 " UPDATE cases SET created_at = created_at - 1123200 WHERE id = %lld;",
		 at50, at48);
	sql_exec(sqlbuf);
	/* A newer one of the same kind with no place at all (40): not a
	 * match, and no reason to stop looking. */
	new_case(&staff, "{\"category\":\"pet_waste\",\"description\":\"N-dup nowhere\"}", NULL, 0);
	fresh = new_case(&staff, body, NULL, 0);
	v = case_body(&staff, fresh, 200);
	dups = strstr(v, "\"possible_duplicates\":[");
	assert_non_null(dups);
	row = item_with_id(dups, at50);
	if (!row)
		fail_msg("the case scoring 50 is not suggested: %s", dups);
	assert_int_equal(json_int(row, "score"), 50);
	free(row);
	assert_null(item_with_id(dups, at48));
	free(v);
	client_release(&staff);
}

/* What an action carries, at its edges: a case is no duplicate of itself
 * or of a case that does not exist; a handler must be someone in the area;
 * a referral's reference holds 60 characters, not 61. */
static void test_action_args_edges(void **state)
{
	struct client staff;
	char body[300], ref[80];
	long long id, other, team, unit;
	char *v;

	(void)state;
	login_as(&staff, "staff");
	team = team_id(&staff, "%E5%B7%A1%E9%80%BB");
	v = get_body(&staff, "/api/v1/units?q=%E5%9F%8E%E7%AE%A1", 200);
	unit = json_int(v, "id");
	free(v);
	id = new_case(&staff, "{\"category\":\"other\",\"description\":\"O-args\"}", NULL, 0);
	other =
	    new_case(&staff, "{\"category\":\"other\",\"description\":\"O-args first\"}", NULL, 0);
	snprintf(body, sizeof(body), "{\"action\":\"duplicate\",\"duplicate_of\":%lld}", id);
	act(&staff, id, body, 422);
	act(&staff, id, "{\"action\":\"duplicate\",\"duplicate_of\":99999999}", 422);
	act(&staff, id, "{\"action\":\"duplicate\"}", 422);
	act(&staff, id, "{\"action\":\"accept\"}", 200);
	act(&staff, id, "{\"action\":\"assign\",\"handler_user_id\":99999999}", 422);
	v = case_body(&staff, id, 200);
	str_is(v, "state", "accepted");
	free(v);
	snprintf(body, sizeof(body), "{\"action\":\"assign\",\"handler_team_id\":%lld}", team);
	act(&staff, id, body, 200);
	memset(ref, 'R', 61);
	ref[61] = '\0';
	snprintf(body, sizeof(body),
		 "{\"action\":\"refer\",\"agency_unit_id\":%lld,\"reference\":\"%s\"}", unit, ref);
	act(&staff, id, body, 422);
	snprintf(body, sizeof(body),
		 "{\"action\":\"refer\",\"agency_unit_id\":99999999,\"reference\":\"x\"}");
	act(&staff, id, body, 422);
	ref[60] = '\0';
	snprintf(body, sizeof(body),
		 "{\"action\":\"refer\",\"agency_unit_id\":%lld,\"reference\":\"%s\"}", unit, ref);
	act(&staff, id, body, 200);
	/* The other one is a duplicate of a case that exists. */
	snprintf(body, sizeof(body), "{\"action\":\"duplicate\",\"duplicate_of\":%lld}", id);
	act(&staff, other, body, 200);
	v = case_body(&staff, other, 200);
	str_is(v, "state", "duplicate");
	assert_int_equal(json_int(v, "duplicate_of"), id);
	free(v);
	client_release(&staff);
}

/* The queue page's pager at the last page: with one case a page, page
 * N of N cases has no "next"; page N - 1 has. */
static void test_queue_pager_edge(void **state)
{
	struct client staff;
	struct response r;
	char path[96], next[96];
	long long total;
	char *v;

	(void)state;
	login_as(&staff, "staff");
	v = get_body(&staff, "/api/v1/cases?per_page=1", 200);
	total = json_int(v, "total");
	free(v);
	assert_true(total > 2);
	snprintf(path, sizeof(path), "/cases?status=all&per_page=1&page=%lld", total);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	snprintf(next, sizeof(next), "href=\"/cases?status=all&amp;per_page=1&amp;page=%lld\"",
		 total + 1);
	assert_null(strstr(r.body, next));
	snprintf(next, sizeof(next), "href=\"/cases?status=all&amp;per_page=1&amp;page=%lld\"",
		 total - 1);
	assert_non_null(strstr(r.body, next)); /* "previous", with the filters kept */
	response_release(&r);
	snprintf(path, sizeof(path), "/cases?status=all&per_page=1&page=%lld", total - 1);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	snprintf(next, sizeof(next), "href=\"/cases?status=all&amp;per_page=1&amp;page=%lld\"",
		 total);
	assert_non_null(strstr(r.body, next));
	response_release(&r);
	client_release(&staff);
}

/* count_on_page: N of "共 N 条" on a queue page. */
static long long count_on_page(const char *body)
{
	const char *p = strstr(body, "<p class=\"count\">共 ");
	assert_non_null(p);
	return strtoll(p + strlen("<p class=\"count\">共 "), NULL, 10);
}

/* The queue opens on the cases still to be worked: a resolved case (its
 * work done, waiting for the reporter) and a closed one are under
 * "已结束" and "全部", not on the first page; the counts agree with the
 * API's; a bad status is refused. */
static void test_queue_open_by_default(void **state)
{
	struct client staff;
	long long n_open, n_closed, n_all, id_open, id_resolved;
	char *v, row[64];

	(void)state;
	login_as(&staff, "staff");
	v = get_body(&staff, "/api/v1/cases?status=open&per_page=1", 200);
	n_open = json_int(v, "total");
	free(v);
	v = get_body(&staff, "/api/v1/cases?status=closed&per_page=1", 200);
	n_closed = json_int(v, "total");
	free(v);
	v = get_body(&staff, "/api/v1/cases?per_page=1", 200);
	n_all = json_int(v, "total"); /* the API lists all unless asked */
	free(v);
	assert_true(n_open > 0 && n_closed > 0);
	assert_int_equal(n_open + n_closed, n_all);
	v = get_body(&staff, "/api/v1/cases?state=resolved&per_page=1", 200);
	id_resolved = json_int(v, "id");
	free(v);
	id_open = new_case(&staff, "{\"category\":\"other\",\"description\":\"Q-open\"}", NULL, 0);

	v = get_body(&staff, "/cases?per_page=200", 200);
	assert_int_equal(count_on_page(v), n_open + 1);
	assert_non_null(strstr(v, "aria-current=\"page\">待办理 <b>"));
	snprintf(row, sizeof(row), "href=\"/cases/%lld\"", id_open);
	assert_non_null(strstr(v, row));
	snprintf(row, sizeof(row), "href=\"/cases/%lld\"", id_resolved);
	assert_null(strstr(v, row));
	free(v);
	v = get_body(&staff, "/cases?status=closed&per_page=200", 200);
	assert_int_equal(count_on_page(v), n_closed);
	assert_non_null(strstr(v, "aria-current=\"page\">已结束 <b>"));
	assert_non_null(strstr(v, row)); /* the resolved case */
	free(v);
	v = get_body(&staff, "/cases?status=all&per_page=1", 200);
	assert_int_equal(count_on_page(v), n_all + 1);
	free(v);
	/* A state named shows that state, whatever the tab. */
	v = get_body(&staff, "/cases?state=resolved&per_page=200", 200);
	assert_non_null(strstr(v, row));
	free(v);
	free(get_body(&staff, "/cases?status=bogus", 400));
	free(get_body(&staff, "/api/v1/cases?status=bogus", 400));
	client_release(&staff);
}

/* A row of the queue: the summary (the description's first 40
 * characters, then "…"), the state badge, the category and the age; the
 * filters folded in a panel that is open only when a filter is in use;
 * the bulk assignment's checkboxes still there. */
static void test_queue_rows(void **state)
{
	struct client staff;
	char *v, want[400], path[96];
	long long id, cat;

	(void)state;
	login_as(&staff, "staff");
	id = new_case(&staff,
		      "{\"category\":\"other\",\"description\":\"一二三四五六七八九十"
		      "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十多出来的字\"}",
		      NULL, 0);
	v = get_body(&staff, "/cases", 200);
	snprintf(want, sizeof(want),
		 "<td class=\"summary\" data-label=\"摘要\"><a href=\"/cases/%lld\"><span "
		 "class=\"num\">#%lld</span> 一二三四五六七八九十一二三四五六七八九十"
		 "一二三四五六七八九十一二三四五六七八九十…</a></td><td class=\"st\" "
		 "data-label=\"状态\"><span class=\"state state-submitted\">已提交</span></td>"
		 "<td class=\"cat\" data-label=\"类别\">其他</td><td class=\"age\" "
		 "data-label=\"已过\"><time",
		 id, id);
	assert_non_null(strstr(v, want));
	assert_null(strstr(v, "多出来的字"));
	snprintf(want, sizeof(want), "name=\"id\" value=\"%lld\"", id);
	assert_non_null(strstr(v, want));
	assert_non_null(strstr(v, "<details class=\"filters-panel\"><summary>筛选</summary>"));
	free(v);
	/* Ages: under a minute "刚刚"; a case three days old "3 天". */
	snprintf(want, sizeof(want),
		 "UPDATE cases SET created_at = created_at - 3 * 86400 - 60 WHERE id = %lld;", id);
	sql_exec(want);
	v = get_body(&staff, "/cases", 200);
	snprintf(want, sizeof(want), "href=\"/cases/%lld\"", id);
	const char *row = strstr(v, want);
	assert_non_null(row);
	const char *age = strstr(row, "<td class=\"age\"");
	assert_non_null(age);
	assert_non_null(strstr(age, "3 天</time>"));
	assert_true(strstr(age, "3 天</time>") < strstr(age, "</tr>"));
	free(v);
	v = get_body(&staff, "/api/v1/cases?per_page=1", 200);
	cat = json_int(v, "category_id");
	free(v);
	snprintf(path, sizeof(path), "/cases?category_id=%lld", cat);
	v = get_body(&staff, path, 200);
	assert_non_null(strstr(v, "<details class=\"filters-panel\" open>"));
	free(v);
	client_release(&staff);
}

/* Answers after an optional question left blank are still kept and
 * checked: the noise form's "now" blank, "when" given. */
static void test_answers_after_blank(void **state)
{
	struct client staff;
	char body[800], *v;
	long long id;
	size_t k;

	(void)state;
	login_as(&staff, "staff");
	id = new_case(&staff,
		      "{\"category\":\"noise\",\"description\":\"P-ans\",\"answers\":"
		      "{\"source\":\"shop\",\"when\":\"每晚九点\"}}",
		      NULL, 0);
	v = case_body(&staff, id, 200);
	assert_non_null(strstr(v, "\"when\":\"每晚九点\""));
	free(v);
	k = (size_t)snprintf(body, sizeof(body),
			     "{\"category\":\"noise\",\"description\":\"P-ans long\",\"answers\":"
			     "{\"source\":\"shop\",\"when\":\"");
	for (int i = 0; i < 501; i++)
		body[k++] = 'w';
	snprintf(body + k, sizeof(body) - k, "\"}}");
	v = send_body(&staff, "POST", "/api/v1/cases", body, 422);
	assert_non_null(strstr(v, "\"fields\":{\"when\""));
	free(v);
	v = send_body(&staff, "POST", "/api/v1/cases",
		      "{\"category\":\"noise\",\"description\":\"P-ans bad\",\"answers\":"
		      "{\"source\":\"shop\",\"when\":7}}",
		      422);
	assert_non_null(strstr(v, "\"fields\":{\"when\""));
	free(v);
	client_release(&staff);
}

/* The action forms list the registry's rows the action needs: the refer
 * form the agencies, enterprises and institutions (by kind: the street's
 * agencies first) and never a shop or a school; the queue's filters the
 * area's compounds and teams. */
static void test_action_form_lists(void **state)
{
	struct client staff;
	char path[64], body[160], *v;
	long long id;

	(void)state;
	login_as(&staff, "staff");
	id = new_case(&staff, "{\"category\":\"other\",\"description\":\"R-lists\"}", NULL, 0);
	act(&staff, id, "{\"action\":\"accept\"}", 200);
	snprintf(path, sizeof(path), "/cases/%lld", id);
	v = get_body(&staff, path, 200);
	assert_non_null(strstr(v, "name=\"handler_team_id\""));
	free(v);
	snprintf(body, sizeof(body), "{\"action\":\"assign\",\"handler_team_id\":%lld}",
		 team_id(&staff, "%E5%B7%A1%E9%80%BB"));
	act(&staff, id, body, 200);
	v = get_body(&staff, path, 200);
	const char *agency = strstr(v, "芷江西路城管中队"),
		   *enterprise = strstr(v, "乐活养老服务有限公司");
	const char *institution = strstr(v, "城投水务普善供水站");
	assert_non_null(agency);
	assert_non_null(enterprise);
	assert_non_null(institution);
	assert_true(agency < enterprise && enterprise < institution);
	assert_null(strstr(v, "东东烟杂店"));
	assert_null(strstr(v, "启明英语培训学校"));
	free(v);
	v = get_body(&staff, "/cases", 200);
	assert_non_null(strstr(v, "name=\"compound_id\""));
	assert_non_null(strstr(v, "五月花"));
	free(v);
	client_release(&staff);
}

/* Bulk assignment takes at most 200 cases at a time, and says so when
 * given more (not "select at least one"); 200 are taken. */
static void test_bulk_assign_cap(void **state)
{
	struct client staff;
	struct response r;
	static char body[8192];
	size_t k;

	(void)state;
	login_as(&staff, "staff");
	for (int n = 200; n <= 201; n++) {
		k = (size_t)snprintf(body, sizeof(body), "{\"handler_team_id\":%lld,\"ids\":[",
				     team_id(&staff, "%E5%B7%A1%E9%80%BB"));
		for (int i = 0; i < n; i++)
			k += (size_t)snprintf(body + k, sizeof(body) - k, "%s%d", i ? "," : "",
					      900000 + i);
		snprintf(body + k, sizeof(body) - k, "]}");
		assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases/bulk-assign", body, &r),
				 0);
		if (n == 200) {
			assert_int_equal(r.status, 200);
		} else {
			assert_int_equal(r.status, 422);
			assert_non_null(strstr(r.body, "一次最多分派 200 件"));
			assert_null(strstr(r.body, "请至少选择一件"));
		}
		response_release(&r);
	}
	/* None at all: choose one. */
	assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases/bulk-assign",
			     "{\"handler_team_id\":1,\"ids\":[]}", &r),
			 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "请至少选择一件"));
	response_release(&r);
	client_release(&staff);
}

/* page_act posts the case page's action form as c; returns the status. */
static long page_act(struct client *c, long long id, const char *fields)
{
	struct response r;
	char path[64], body[512];
	long status;

	snprintf(path, sizeof(path), "/cases/%lld/act", id);
	snprintf(body, sizeof(body), "%s&_csrf=%s", fields, c->csrf);
	assert_int_equal(
	    request(c, &srv, "POST", path, body, "application/x-www-form-urlencoded", NULL, &r), 0);
	status = r.status;
	response_release(&r);
	return status;
}

/* The case page offers one next step for the state and the reader's role
 * (受理 for a new case, 开始办理 for a volunteer on an assigned one), the
 * others folded under "更多操作"; the category's handler is a suggestion
 * until assigned, pre-chosen in the assign form; the timeline names its
 * actors in the reader's language. */
static void test_case_page_next_step(void **state)
{
	struct client staff, vol, en;
	char path[64], *v, want[160];
	const char *next, *more;
	long long id;

	(void)state;
	login_as(&staff, "staff");
	login_as(&vol, "volunteer");
	id = new_case(
	    &staff,
	    "{\"category\":\"noise\",\"description\":\"S-next\",\"answers\":{\"source\":\"shop\"}}",
	    NULL, 0);
	snprintf(path, sizeof(path), "/cases/%lld", id);
	v = get_body(&staff, path, 200);
	next = strstr(v, "<section class=\"card next\" id=\"actions\"><h2>下一步</h2>");
	more = strstr(v, "<details class=\"more-actions\"><summary>更多操作</summary>");
	assert_non_null(next);
	assert_non_null(more);
	assert_true(next < strstr(v, "value=\"accept\"") && strstr(v, "value=\"accept\"") < more);
	assert_non_null(strstr(v, "class=\"primary big\">受理</button>"));
	assert_true(strstr(v, "value=\"reject\"") > more);
	assert_true(strstr(v, "value=\"duplicate\"") > more);
	assert_non_null(strstr(v, "<dt>建议承办（待确认）</dt><dd>平安巡逻队</dd>"));
	assert_null(strstr(v, "<dt>承办</dt>"));
	free(v);
	v = get_body(&vol, path, 200);
	assert_null(strstr(v, "id=\"actions\"")); /* nothing a volunteer may do yet */
	free(v);
	/* The queue marks the default team a suggestion too. */
	v = get_body(&staff, "/cases?per_page=500", 200);
	snprintf(want, sizeof(want), "href=\"/cases/%lld\"", id);
	next = strstr(v, want);
	assert_non_null(next);
	more = strstr(next, "</tr>");
	next = strstr(next, "<td class=\"handler\" data-label=\"承办\">建议：平安巡逻队</td>");
	assert_true(next && next < more);
	free(v);

	assert_int_equal(page_act(&staff, id, "action=accept"), 303);
	v = get_body(&staff, path, 200);
	next = strstr(v, "id=\"actions\"");
	assert_non_null(next);
	/* Accepted: the next step is assigning, the suggested team chosen. */
	assert_true(strstr(next, "value=\"assign\"") < strstr(next, "更多操作"));
	assert_non_null(strstr(next, "selected>平安巡逻队</option>"));
	assert_non_null(strstr(next, "按类别建议，提交即确认"));
	free(v);
	snprintf(want, sizeof(want), "action=assign&handler_team_id=%lld",
		 team_id(&staff, "%E5%B7%A1%E9%80%BB"));
	assert_int_equal(page_act(&staff, id, want), 303);
	v = get_body(&staff, path, 200);
	assert_non_null(strstr(v, "<dt>承办</dt><dd>平安巡逻队</dd>"));
	assert_null(strstr(v, "建议承办"));
	assert_non_null(strstr(v, "<dt>建议转办（待确认）</dt>")); /* not referred yet */
	free(v);
	/* A case that ended without a referral shows no agency at all. */
	{
		long long gone = new_case(
		    &staff,
		    "{\"category\":\"noise\",\"description\":\"S-gone\",\"answers\":{\"source\":"
		    "\"shop\"}}",
		    NULL, 0);
		char gone_path[64];
		assert_int_equal(page_act(&staff, gone, "action=reject&note=x"), 303);
		snprintf(gone_path, sizeof(gone_path), "/cases/%lld", gone);
		char *g = get_body(&staff, gone_path, 200);
		assert_null(strstr(g, "建议转办"));
		assert_null(strstr(g, "<dt>转办单位</dt>"));
		free(g);
	}
	v = get_body(&staff, path, 200);
	/* Timeline: the staff member by role and name, never a bare "staff". */
	assert_non_null(strstr(v, "<span class=\"muted actor\">社工 staff</span>"));
	assert_null(strstr(v, "<span class=\"muted actor\">staff</span>"));
	free(v);
	v = get_body(&vol, path, 200);
	next = strstr(v, "id=\"actions\"");
	assert_non_null(next);
	assert_non_null(strstr(next, "class=\"primary big\">开始办理</button>"));
	assert_null(strstr(v, "更多操作")); /* the volunteer's only action */
	free(v);
	/* The reporter, the system and a staff member in the reader's
	 * language: Chinese, then English. */
	snprintf(want, sizeof(want),
		 "UPDATE case_events SET actor = 'reporter', user_id = NULL WHERE id = "
		 "(SELECT MIN(id) FROM case_events WHERE case_id = %lld);",
		 id);
	sql_exec(want);
	snprintf(want, sizeof(want),
		 "INSERT INTO case_events (case_id, at, actor, kind, note) VALUES "
		 "(%lld, 1, 'system', 'note', 'S-sys');",
		 id);
	sql_exec(want);
	v = get_body(&staff, path, 200);
	assert_non_null(strstr(v, "<span class=\"muted actor\">反映人</span>"));
	assert_non_null(strstr(v, "<span class=\"muted actor\">系统</span>"));
	assert_null(strstr(v, "<span class=\"muted actor\">reporter</span>"));
	free(v);
	login_as(&en, "staff");
	{
		struct response r;
		assert_int_equal(request(&en, &srv, "GET", "/lang?set=en", NULL, NULL, NULL, &r),
				 0);
		response_release(&r);
	}
	v = get_body(&en, path, 200);
	assert_non_null(strstr(v, "<span class=\"muted actor\">reporter</span>"));
	assert_non_null(strstr(v, "<span class=\"muted actor\">system</span>"));
	assert_non_null(strstr(v, "<span class=\"muted actor\">Staff staff</span>"));
	free(v);
	client_release(&en);
	client_release(&vol);
	client_release(&staff);
}

/* Marking a duplicate picks the original among the similar cases the page
 * found (a radio each, the first chosen), or takes another number; a
 * number of no case of the area is refused and changes nothing. */
static void test_case_page_duplicate_choice(void **state)
{
	struct client staff;
	char body[200], path[64], want[200], *v;
	long long building, first, second, third;

	(void)state;
	login_as(&staff, "staff");
	building = sql_int("SELECT MIN(id) FROM buildings WHERE archived = 0;");
	snprintf(body, sizeof(body),
		 "{\"category\":\"pet_waste\",\"description\":\"S-dup\",\"building_id\":%lld}",
		 building);
	first = new_case(&staff, body, NULL, 0);
	second = new_case(&staff, body, NULL, 0);
	third = new_case(&staff, body, NULL, 0);
	snprintf(path, sizeof(path), "/cases/%lld", third);
	v = get_body(&staff, path, 200);
	snprintf(want, sizeof(want),
		 "<input type=\"radio\" name=\"duplicate_of\" value=\"%lld\" checked>", second);
	assert_non_null(strstr(v, want));
	snprintf(want, sizeof(want), "<input type=\"radio\" name=\"duplicate_of\" value=\"%lld\">",
		 first);
	assert_non_null(strstr(v, want));
	assert_non_null(strstr(v, "name=\"duplicate_of_other\""));
	free(v);
	/* Another number that is no case: refused, the case unchanged. */
	assert_int_equal(page_act(&staff, third, "action=duplicate&duplicate_of_other=999999"),
			 422);
	v = case_body(&staff, third, 200);
	assert_non_null(strstr(v, "\"state\":\"submitted\""));
	free(v);
	snprintf(want, sizeof(want), "action=duplicate&duplicate_of=%lld", first);
	assert_int_equal(page_act(&staff, third, want), 303);
	v = case_body(&staff, third, 200);
	assert_non_null(strstr(v, "\"state\":\"duplicate\""));
	assert_int_equal(json_int(v, "duplicate_of"), first);
	free(v);
	snprintf(want, sizeof(want), "action=duplicate&duplicate_of_other=%lld", first);
	assert_int_equal(page_act(&staff, second, want), 303);
	v = case_body(&staff, second, 200);
	assert_int_equal(json_int(v, "duplicate_of"), first);
	free(v);
	client_release(&staff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_public_report_with_photo),
	    cmocka_unit_test(test_photo_pixels_and_view),
	    cmocka_unit_test(test_report_refuses_bad_input),
	    cmocka_unit_test(test_refused_report_writes_nothing),
	    cmocka_unit_test(test_whole_flow),
	    cmocka_unit_test(test_low_rating_reopens),
	    cmocka_unit_test(test_privacy),
	    cmocka_unit_test(test_again_instead_of_new),
	    cmocka_unit_test(test_queue_pages),
	    cmocka_unit_test(test_report_with_a_point),
	    cmocka_unit_test(test_inbox),
	    cmocka_unit_test(test_holidays),
	    cmocka_unit_test(test_rating_edges),
	    cmocka_unit_test(test_recur_only_while_open),
	    cmocka_unit_test(test_complex_approval),
	    cmocka_unit_test(test_mediation_fields),
	    cmocka_unit_test(test_reopen_and_overdue),
	    cmocka_unit_test(test_referral_due_and_audit),
	    cmocka_unit_test(test_roles_see_rows_and_fields),
	    cmocka_unit_test(test_api_edges),
	    cmocka_unit_test(test_inbox_team_members),
	    cmocka_unit_test(test_private_cases_untouchable),
	    cmocka_unit_test(test_private_side_doors_enumerated),
	    cmocka_unit_test(test_anonymous_write_budget),
	    cmocka_unit_test(test_disk_floor),
	    cmocka_unit_test(test_public_form_edges),
	    cmocka_unit_test(test_duplicate_threshold),
	    cmocka_unit_test(test_action_args_edges),
	    cmocka_unit_test(test_queue_pager_edge),
	    cmocka_unit_test(test_queue_open_by_default),
	    cmocka_unit_test(test_queue_rows),
	    cmocka_unit_test(test_case_page_next_step),
	    cmocka_unit_test(test_case_page_duplicate_choice),
	    cmocka_unit_test(test_answers_after_blank),
	    cmocka_unit_test(test_action_form_lists),
	    cmocka_unit_test(test_bulk_assign_cap),
	};
	return cmocka_run_group_tests_name("http_cases", tests, srv_setup, srv_teardown);
}
