/* The home feature's routes. */
#include "home.h"
#include "internal.h"
#include "../web/router.h"

/* GET /: the work page for whoever works cases, the street's overview
 * for a street's or district's staff reading an area, the residents' page
 * for everyone else (signed in or not). */
static int front(struct http_req *req, struct http_resp *resp)
{
	if (req->sess.kind == AUTH_COOKIE && role_read_only(req->sess.role))
		return resp_redirect(req, resp, "/region");
	if (req->sess.kind == AUTH_COOKIE && req_can(req, PERM_CASES_WORK))
		return home_work_page(req, resp);
	return home_residents_page(req, resp);
}

int home_add_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/", front, PERM_PUBLIC, 0, NULL, 0},
	    {"GET", "/qr", home_poster, PERM_PUBLIC, 0, NULL, 0},
	    {"GET", "/area/profile", home_profile_page, PERM_AREA_PROFILE, 0, NULL, 0},
	    {"POST", "/area/profile", home_profile_submit, PERM_AREA_PROFILE, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
