/* How the Open311 handlers answer (open311_answer.h): messages in both
 * languages, JSON or XML, the specification's error list, and which area
 * a request is about. */
#include "open311_answer.h"
#include "open311.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/db.h"
#include "../web/auth.h"

#include <stdlib.h>
#include <string.h>

/* ---- messages ----
 * "{field}" in a message is replaced by the parameter's name. */

static const struct {
	const char *zh; /* 简体中文 */
	const char *en; /* English */
} messages[M_COUNT] = {
    [M_FORMAT] = {"不支持的格式，请用 .json 或 .xml", "Unknown format: use .json or .xml"},
    [M_JURISDICTION_UNKNOWN] = {"没有这个居民区（jurisdiction_id）", "No such jurisdiction_id"},
    [M_JURISDICTION_REQUIRED] = {"本系统服务多个居民区，请给出 jurisdiction_id",
				 "This server serves several areas: jurisdiction_id is required"},
    [M_JURISDICTION_AREA] = {"街道或区的 jurisdiction_id 只用于查询；提交请用居民区的",
			     "A street's or district's jurisdiction_id is for reading: file "
			     "requests with an area's"},
    [M_API_KEY] = {"api_key 缺失或无效", "api_key is missing or not valid"},
    [M_API_KEY_AREA] = {"此 api_key 不属于该居民区",
			"This api_key is not valid for this jurisdiction_id"},
    [M_REQUIRED] = {"缺少 {field}", "{field} is required"},
    [M_SERVICE_UNKNOWN] = {"没有这个服务类别（service_code）", "No such service_code"},
    [M_LOCATION_REQUIRED] = {"请给出位置：lat 和 long，或 address_string，或 address_id",
			     "A location is required: lat and long, address_string or address_id"},
    [M_LATLONG] = {"lat 和 long 须一起给出，为十进制度数（如 31.2304 和 121.4737）",
		   "lat and long go together, in decimal degrees (e.g. 31.2304 and 121.4737)"},
    [M_ADDRESS_ID] = {"address_id 不是本居民区的住户编号",
		      "address_id is not a household of this jurisdiction"},
    [M_TOO_LONG] = {"{field} 太长", "{field} is too long"},
    [M_INVALID] = {"{field} 的值无效", "{field} is not valid"},
    [M_MEDIA_URL] = {"media_url 须为 http:// 或 https:// 开头的网址",
		     "media_url must be an http:// or https:// address"},
    [M_MEDIA] = {"media 须为一张 JPEG、PNG 或 WebP 照片，不超过 8 MiB、4000 万像素",
		 "media must be one JPEG, PNG or WebP photo of at most 8 MiB and 40 megapixels"},
    [M_DISK] = {"服务器存储空间不足，暂不接收照片：请不带 media 再提交",
		"The server is short of disk space: send the request without media"},
    [M_FORM] = {"multipart 表单无法解析，或含有 media 以外的文件",
		"The multipart form could not be read, or holds a file other than media"},
    [M_ATTRIBUTE_KEY] = {"无法识别的属性参数 {field}，应为 attribute[代码] 或 attribute[代码][]",
			 "Malformed {field}: use attribute[CODE] or attribute[CODE][]"},
    [M_ATTRIBUTE_REPEATED] = {"{field} 只能有一个值", "{field} takes one value"},
    [M_ANSWER] = {"{field} 的值不在可选范围内或格式不对",
		  "{field} is not one of the allowed values or has the wrong form"},
    [M_ANSWER_REQUIRED] = {"此类别必须回答 {field}", "{field} is required for this service"},
    [M_DATE] = {"{field} 须为 W3C 日期或带时区的时间，如 2026-11-29 或 2026-11-29T17:05:00+08:00",
		"{field} must be a W3C date, or a date and time with a zone, e.g. 2026-11-29 or "
		"2026-11-29T17:05:00+08:00"},
    [M_WINDOW] = {"start_date 与 end_date 相隔不能超过 90 天",
		  "start_date and end_date may be at most 90 days apart"},
    [M_DATE_ORDER] = {"end_date 早于 start_date", "end_date is before start_date"},
    [M_STATUS] = {"status 只能是 open、closed 或两者（逗号分隔）",
		  "status must be open, closed, or both separated by a comma"},
    [M_IDS] = {"service_request_id 须为逗号分隔的编号（最多 50 个）",
	       "service_request_id must be a comma-separated list of at most 50 ids"},
    [M_LIST_LONG] = {"{field} 列出的值太多（最多 50 个）",
		     "{field} lists too many values (at most 50)"},
    [M_PAGE] = {"page 须为正整数，page_size 为 1 到 1000",
		"page must be a positive whole number and page_size 1 to 1000"},
    [M_REQUEST_UNKNOWN] = {"没有这个诉求", "No such service request"},
    [M_TOKEN_UNKNOWN] = {"没有这个查询码", "No such token"},
    [M_INTERNAL] = {"服务器内部错误，请稍后再试", "Internal error: please try again later"},
    [M_NOTICE] = {"已受理。查询码 {field}，请妥善保存。",
		  "Received. Your tracking code is {field}."},
};

int open311_lang_en(const struct http_req *req)
{
	return req->lang && !strcmp(req->lang, "en");
}

const char *open311_message(struct http_req *req, enum open311_msg m, const char *field)
{
	const char *t = open311_lang_en(req) ? messages[m].en : messages[m].zh;
	const char *at = strstr(t, "{field}");

	if (!at)
		return t;
	return arena_printf(req->arena, "%.*s%s%s", (int)(at - t), t, field ? field : "",
			    at + strlen("{field}"));
}

/* ---- answers ---- */

void open311_answered(struct http_resp *resp, enum open311_format fmt, int status)
{
	resp->status = status;
	resp->content_type =
	    fmt == FMT_XML ? "text/xml; charset=utf-8" : "application/json; charset=utf-8";
}

int open311_send(struct http_resp *resp, enum open311_format fmt, int status, const char *root,
		 const char *item, json_t *v)
{
	int rc = 0;

	buf_reset(&resp->body);
	open311_answered(resp, fmt, status);
	if (fmt == FMT_XML) {
		rc = open311_write_xml(&resp->body, root, item, v);
	} else {
		char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;
		rc = text ? buf_adds(&resp->body, text) : LIN_ENOMEM;
		if (!rc)
			rc = buf_addc(&resp->body, '\n');
		free(text);
	}
	json_decref(v);
	if (rc)
		resp->status = 0; /* let the caller report the failure */
	return rc;
}

/* fail_with answers the specification's error list of one entry. */
static int fail_with(struct http_resp *resp, enum open311_format fmt, int status,
		     const char *description)
{
	json_t *errors = json_pack("[{s:i,s:s}]", "code", status, "description", description);
	if (open311_send(resp, fmt == FMT_UNKNOWN ? FMT_JSON : fmt, status, "errors", "error",
			 errors)) {
		resp->status = 500;
		resp->content_type = "text/plain; charset=utf-8";
		buf_reset(&resp->body);
		buf_adds(&resp->body, "out of memory\n");
	}
	return 0;
}

int open311_fail(struct http_req *req, struct http_resp *resp, enum open311_format fmt, int status,
		 enum open311_msg m, const char *field)
{
	return fail_with(resp, fmt, status, open311_message(req, m, field));
}

int open311_error_writer(struct http_req *req, struct http_resp *resp, int status,
			 const char *message)
{
	size_t n = strlen(req->path);

	return fail_with(resp, n > 4 && !strcmp(req->path + n - 4, ".xml") ? FMT_XML : FMT_JSON,
			 status, message);
}

int open311_finish(struct http_req *req, struct http_resp *resp, enum open311_format fmt, int rc)
{
	if (rc && !resp->status) {
		log_error("open311: %s %s failed: %s", req->method, req->path, lin_strerror(rc));
		open311_fail(req, resp, fmt, 500, M_INTERNAL, NULL);
	}
	return 0;
}

enum open311_format open311_format_of(const char *s)
{
	if (s && !strcmp(s, "json"))
		return FMT_JSON;
	if (s && !strcmp(s, "xml"))
		return FMT_XML;
	return FMT_UNKNOWN;
}

enum open311_format open311_split_format(struct http_req *req, const char *capture,
					 const char **name)
{
	const char *dot = capture ? strrchr(capture, '.') : NULL;

	*name = "";
	if (!dot)
		return FMT_UNKNOWN;
	*name = arena_strndup(req->arena, capture, (size_t)(dot - capture));
	return *name ? open311_format_of(dot + 1) : FMT_UNKNOWN;
}

/* ---- the jurisdiction ---- */

int open311_find_area(struct http_req *req, struct http_resp *resp, enum open311_format fmt,
		      const char *code, struct open311_area *area)
{
	char name[1024];
	int rc = area_resolve(req->db, code, &area->id, name, sizeof(name));

	area->scope = ROLE_NONE;
	area->scope_id = 0;
	if (rc == LIN_ENOTFOUND && code && *code &&
	    !scope_by_code(req->db, code, &area->scope, &area->scope_id, name, sizeof(name))) {
		int64_t *ids = NULL;
		int n = 0;
		rc = scope_areas(req->db, area->scope, area->scope_id, req->arena, &ids, &n);
		if (!rc && !n)
			rc = LIN_ENOTFOUND; /* a street with no areas yet */
		area->id = rc ? 0 : ids[0];
	}
	area->name = arena_strdup(req->arena, name);
	if (rc == LIN_ENOTFOUND)
		open311_fail(req, resp, fmt, 404, M_JURISDICTION_UNKNOWN, NULL);
	else if (rc == LIN_ECONFLICT)
		open311_fail(req, resp, fmt, 400, M_JURISDICTION_REQUIRED, NULL);
	return rc == LIN_ENOTFOUND || rc == LIN_ECONFLICT ? 0 : rc;
}
