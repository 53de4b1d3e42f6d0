/* From a collected request to a filled response: language, route match,
 * session, permission and CSRF checks, then the handler. */
#ifndef LINLI_WEB_DISPATCH_H
#define LINLI_WEB_DISPATCH_H

#include "http.h"
#include "server.h"

void dispatch_request(struct app *app, struct http_req *req, struct http_resp *resp,
		      int body_too_big);

#endif
