// linli: an assembly's delivery progress (/assemblies/N/progress) fetched
// again every data-refresh seconds while the tab is visible, so staff
// watching it see doors and participation move. The page is whole without
// this script; it only swaps in the same part of a fresh copy.
(function () {
	'use strict';
	var root = document.getElementById('doors-progress');
	if (!root || !window.fetch || !window.DOMParser) {
		return;
	}
	var seconds = parseInt(root.dataset.refresh, 10) || 30;

	function refresh() {
		if (document.hidden) {
			return;
		}
		fetch(window.location.href, {credentials: 'same-origin'})
			.then(function (r) {
				return r.ok ? r.text() : null;
			})
			.then(function (text) {
				if (!text) {
					return;
				}
				var doc = new DOMParser().parseFromString(text, 'text/html');
				var fresh = doc.getElementById('doors-progress');
				if (fresh) {
					root.replaceChildren.apply(root, Array.prototype.slice.call(fresh.childNodes));
				}
			})
			.catch(function () {});
	}
	window.setInterval(refresh, seconds * 1000);
})();
