/* The committee's profile: /area/profile for staff and `linli area
 * profile` for the command line, both through home_profile_set. */
#include "home.h"
#include "internal.h"
#include "store.h"
#include "../base/err.h"
#include "../base/opts.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/audit.h"
#include "../web/html.h"
#include "../web/page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void text_field(struct http_req *req, struct html *h, const char *name, const char *label,
		       const char *hint, const char *value, const char *bad, const char *err)
{
	int invalid = bad && !strcmp(bad, name);

	html_printf(h,
		    "<div class=\"field%R\"><label for=\"p-%s\">%T</label>"
		    "<input id=\"p-%s\" name=\"%s\" value=\"%s\"%R%R>",
		    invalid ? " invalid" : "", name, label, name, name, value,
		    !strcmp(name, "phone") ? " type=\"tel\" inputmode=\"tel\"" : "",
		    invalid
			? arena_printf(req->arena,
				       " aria-invalid=\"true\" aria-describedby=\"p-%s-e\"", name)
			: "");
	if (hint)
		html_printf(h, "<small class=\"muted\">%T</small>", hint);
	if (invalid)
		html_printf(h, "<p class=\"error\" id=\"p-%s-e\" role=\"alert\">%T</p>", name, err);
	html_printf(h, "</div>");
}

static int form_page(struct http_req *req, struct http_resp *resp, const struct home_profile *p,
		     const char *bad, const char *err, int saved)
{
	struct html h = {&resp->body, req->lang};
	json_t *choices = NULL, *c;
	size_t i;
	int rc = home_duty_choices(req->db, req->sess.area_id, &choices);

	if (rc) {
		json_decref(choices);
		return rc;
	}
	page_begin(req, &h, req_t(req, "home.profile"));
	html_printf(&h, "<div class=\"page-head\"><h1>%T</h1></div>", "home.profile");
	if (saved)
		html_printf(&h,
			    "<p class=\"notice ok\" role=\"status\">%T <a href=\"/\">%T</a></p>",
			    "home.saved", "home.see_front");
	html_printf(&h, "<form method=\"post\" action=\"/area/profile\" class=\"card stack\">");
	page_csrf_field(req, &h);
	text_field(req, &h, "address", "home.address", NULL, p->address, bad, err);
	text_field(req, &h, "phone", "home.phone", NULL, p->phone, bad, err);
	text_field(req, &h, "office_hours", "home.office_hours", "home.office_hours_hint",
		   p->office_hours, bad, err);
	html_printf(&h, "<fieldset><legend>%T</legend><div class=\"duty-grid\">", "home.duty");
	for (int d = 1; d <= 7; d++) {
		int invalid = bad && !strncmp(bad, "duty", 4) && bad[4] == '0' + d;
		html_printf(
		    &h,
		    "<div class=\"field%R\"><label for=\"p-duty%d\">%T</label>"
		    "<select id=\"p-duty%d\" name=\"duty%d\"><option value=\"\">%T</option>",
		    invalid ? " invalid" : "", d, arena_printf(req->arena, "plaza.day.%d", d), d, d,
		    "home.duty_none");
		json_array_foreach (choices, i, c) {
			int64_t id = json_integer_value(json_object_get(c, "id"));
			html_printf(&h, "<option value=\"%l\"%R>%s</option>", id,
				    id == p->duty[d] ? " selected" : "",
				    json_string_value(json_object_get(c, "name")));
		}
		html_printf(&h, "</select>");
		if (invalid)
			html_printf(&h, "<p class=\"error\" role=\"alert\">%T</p>", err);
		html_printf(&h, "</div>");
	}
	html_printf(&h,
		    "</div></fieldset><button type=\"submit\" class=\"primary\">%T</button></form>",
		    "home.save");
	page_end(req, &h);
	json_decref(choices);
	resp->status = bad ? 422 : 200;
	return 0;
}

int home_profile_page(struct http_req *req, struct http_resp *resp)
{
	struct home_profile p;
	int rc = home_profile_get(req->db, req->sess.area_id, &p);

	if (rc)
		return rc;
	return form_page(req, resp, &p, NULL, NULL, req_query(req, "saved") != NULL);
}

static void take(char *dst, size_t n, const char *v)
{
	char *t;
	/* Longer than the field holds is refused by the check, not cut. */
	snprintf(dst, n, "%s", v ? v : "");
	t = str_trim(dst);
	memmove(dst, t, strlen(t) + 1);
}

int home_profile_submit(struct http_req *req, struct http_resp *resp)
{
	struct home_profile p;
	const char *field = NULL, *err = NULL;
	int rc;

	memset(&p, 0, sizeof(p));
	take(p.address, sizeof(p.address), req_form(req, "address"));
	take(p.phone, sizeof(p.phone), req_form(req, "phone"));
	take(p.office_hours, sizeof(p.office_hours), req_form(req, "office_hours"));
	for (int d = 1; d <= 7 && !err; d++) {
		char name[8];
		const char *v;
		snprintf(name, sizeof(name), "duty%d", d);
		v = req_form(req, name);
		if (v && *v && parse_int64(v, 1, INT64_MAX, &p.duty[d])) {
			field = arena_printf(req->arena, "%s", name);
			err = "home.bad_duty";
		}
	}
	if (!err)
		err = home_profile_check(req->db, req->sess.area_id, &p, &field);
	if (err)
		return form_page(req, resp, &p, field, err, 0);
	rc = home_profile_set(req->db, req->sess.area_id, &p, req->sess.user_id, req->sess.name);
	if (rc)
		return rc;
	return resp_redirect(req, resp, "/area/profile?saved=1");
}

/* ---- linli area profile ---- */

/* duty_arg reads "1=USER,3=USER" (usernames) into p->duty; "none" clears. */
static int duty_arg(struct db *db, const char *arg, struct home_profile *p)
{
	char copy[512], *save = NULL;

	memset(p->duty, 0, sizeof(p->duty));
	if (!strcmp(arg, "none"))
		return 0;
	if (strlen(arg) >= sizeof(copy))
		return LIN_EINVAL;
	snprintf(copy, sizeof(copy), "%s", arg);
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		int64_t day;
		if (!eq)
			return LIN_EINVAL;
		*eq = 0;
		if (parse_int64(tok, 1, 7, &day) || p->duty[day] ||
		    home_user_id(db, eq + 1, &p->duty[day]))
			return LIN_EINVAL;
	}
	return 0;
}

static int area_profile_cmd(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *address = NULL, *phone = NULL, *hours = NULL, *duty = NULL, *field;
	const struct opt opts[] = {
	    {"--address", OPT_TEXT, &address, 0, 0},
	    {"--phone", OPT_TEXT, &phone, 0, 0},
	    {"--hours", OPT_TEXT, &hours, 0, 0},
	    {"--duty", OPT_TEXT, &duty, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	struct home_profile p;
	int rc, npos;

	if (opts_parse(opts, argc, argv, NULL, 0, &npos) || npos)
		goto usage;
	if (cmd_open(ctx))
		return 1;
	rc = home_profile_get(ctx->db, ctx->area, &p);
	if (rc) {
		fprintf(stderr, "linli: 无法读取居民区设置 cannot read the area: %s\n",
			lin_strerror(rc));
		return 1;
	}
	if (address)
		take(p.address, sizeof(p.address), address);
	if (phone)
		take(p.phone, sizeof(p.phone), phone);
	if (hours)
		take(p.office_hours, sizeof(p.office_hours), hours);
	if (duty && duty_arg(ctx->db, duty, &p)) {
		fprintf(stderr,
			"linli: --duty 应为 星期=用户名[,星期=用户名…]（1 为周一，7 为周日）"
			"或 none --duty must be DAY=USERNAME[,DAY=USERNAME...] (1 Monday, "
			"7 Sunday) or none\n");
		return LIN_EXIT_USAGE;
	}
	if (home_profile_check(ctx->db, ctx->area, &p, &field)) {
		fprintf(stderr,
			"linli: %s 不可用（地址和办公时间最多 %d 字、不含换行；电话须为有效号码；"
			"值班人须是本居民区的工作人员账号） %s is not valid (address and hours at "
			"most %d characters on one line; a valid phone number; whoever is on duty "
			"must be a staff account of this area)\n",
			field, HOME_TEXT_MAX, field, HOME_TEXT_MAX);
		return LIN_EXIT_USAGE;
	}
	if (address || phone || hours || duty) {
		rc = home_profile_set(ctx->db, ctx->area, &p, 0, "cli");
		if (rc) {
			fprintf(stderr, "linli: 无法保存 cannot save: %s\n", lin_strerror(rc));
			return 1;
		}
	}
	printf("地址 address       %s\n电话 phone         %s\n办公时间 hours     %s\n", p.address,
	       p.phone, p.office_hours);
	for (int d = 1; d <= 7; d++) {
		char name[256];
		if (home_duty_name(ctx->db, ctx->area, d, name, sizeof(name)) == 0 && *name)
			printf("值班 duty %d       %s\n", d, name);
	}
	return 0;
usage:
	fprintf(stderr, "用法 usage: linli area profile [--address TEXT] [--phone NUMBER] "
			"[--hours TEXT] [--duty DAY=USERNAME,...|none]\n");
	return LIN_EXIT_USAGE;
}

const struct command home_commands[] = {
    {"area profile", area_profile_cmd, CMD_AREA,
     "[--address TEXT] [--phone NUMBER] [--hours TEXT] [--duty DAY=USERNAME,...|none]",
     "居委会地址、电话、办公时间与值班社工（居民首页显示） the committee's address, phone, "
     "office hours and duty rota shown on the residents' page"},
    {NULL, NULL, CMD_NONE, NULL, NULL},
};
