// Live race results (/events/:id/race): every 5 s fetch the page again and
// swap in its results table. Without script the "refresh" link does it.
(function () {
	'use strict';
	var link = document.getElementById('race-refresh');
	if (!link || !window.fetch || !window.DOMParser) return;
	var url = link.getAttribute('data-live');
	function tick() {
		fetch(url, {credentials: 'same-origin', cache: 'no-store'})
			.then(function (r) { return r.ok ? r.text() : null; })
			.then(function (text) {
				if (!text) return;
				var doc = new DOMParser().parseFromString(text, 'text/html');
				var fresh = doc.getElementById('race-results');
				var now = document.getElementById('race-results');
				if (fresh && now) now.replaceWith(fresh);
			})
			.catch(function () {})
			.then(function () { setTimeout(tick, 5000); });
	}
	setTimeout(tick, 5000);
})();
