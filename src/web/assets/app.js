// linli: the little script the pages use. Pages work without it.
// On a phone the navigation scrolls sideways; keep the current item in view.
// One menu of the navigation open at a time; a tap elsewhere closes it.
(function () {
	var current = document.querySelector('nav.main summary.current') ||
		document.querySelector('nav.main > ul > li > [aria-current="page"]');
	if (current && current.scrollIntoView) {
		current.scrollIntoView({ block: 'nearest', inline: 'center' });
	}
	var menus = document.querySelectorAll('nav.main details');
	menus.forEach(function (d) {
		d.addEventListener('toggle', function () {
			if (!d.open) return;
			menus.forEach(function (o) { if (o !== d) o.open = false; });
		});
	});
	document.addEventListener('click', function (e) {
		menus.forEach(function (d) { if (d.open && !d.contains(e.target)) d.open = false; });
	});
})();

// The inverse of the site plan's projection (registry_plan_lonlat in
// src/registry/plan.c): viewBox units to [lon, lat] in degrees.
function linliPlanLonLat(d, x, y) {
	var R = 6371008.8, rad = Math.PI / 180;
	var mx = x / Number(d.scale) + Number(d.x0), my = y / Number(d.scale) + Number(d.y0);
	var lat0 = Number(d.lat0), lon0 = Number(d.lon0);
	return [lon0 + mx / (R * Math.cos(lat0 * rad)) / rad, lat0 - my / R / rad];
}

// Report forms: the phone's position, or a point tapped on the site plan.
(function () {
	var locate = document.querySelector('.locate');
	if (locate && navigator.geolocation) {
		locate.hidden = false;
		var status = locate.querySelector('.locate-status');
		locate.querySelector('.locate-me').addEventListener('click', function () {
			navigator.geolocation.getCurrentPosition(function (pos) {
				locate.querySelector('[name="lat"]').value = pos.coords.latitude.toFixed(6);
				locate.querySelector('[name="long"]').value = pos.coords.longitude.toFixed(6);
				status.textContent = status.dataset.done + ' ' +
					pos.coords.latitude.toFixed(4) + ', ' + pos.coords.longitude.toFixed(4);
			}, function () {
				status.textContent = status.dataset.failed;
			}, { enableHighAccuracy: true, timeout: 15000 });
		});
	}
	var picker = document.querySelector('.plan-picker');
	if (picker) {
		picker.hidden = false;
		var svg = picker.querySelector('svg');
		svg.addEventListener('click', function (ev) {
			var pt = svg.createSVGPoint();
			pt.x = ev.clientX;
			pt.y = ev.clientY;
			var p = pt.matrixTransform(svg.getScreenCTM().inverse());
			var x = Math.max(0, Math.min(1000, Math.round(p.x)));
			var y = Math.max(0, Math.min(1000, Math.round(p.y)));
			var d = svg.dataset;
			if (d.scale) {
				// the plan at true scale: the point as WGS-84, like the phone's
				var ll = linliPlanLonLat(d, p.x, p.y);
				document.querySelector('[name="lat"]').value = ll[1].toFixed(6);
				document.querySelector('[name="long"]').value = ll[0].toFixed(6);
				x = Math.round(p.x);
				y = Math.round(p.y);
			} else {
				picker.querySelector('[name="plan_x"]').value = x;
				picker.querySelector('[name="plan_y"]').value = y;
			}
			var dot = svg.querySelector('.pick');
			dot.setAttribute('cx', x);
			dot.setAttribute('cy', y);
		});
	}
})();

// Print buttons (a notice, the poster, the timetable): the page's own
// print stylesheet leaves out the navigation. No inline handlers: the CSP
// forbids them. A button marked hidden waits for this script to show it.
(function () {
	document.querySelectorAll('[data-print]').forEach(function (b) {
		b.hidden = false;
		b.addEventListener('click', function () { window.print(); });
	});
})();

// Copy buttons: the text of the element named by data-copy.
(function () {
	document.querySelectorAll('[data-copy]').forEach(function (b) {
		var from = document.getElementById(b.dataset.copy);
		if (!from || !navigator.clipboard) return;
		b.hidden = false;
		b.addEventListener('click', function () {
			navigator.clipboard.writeText(from.textContent.trim()).then(function () {
				b.textContent = b.dataset.done;
			});
		});
	});
})();

// The building list follows the chosen compound: only its buildings stay
// (the server refuses a building of another compound either way).
(function () {
	document.querySelectorAll('select[data-filters]').forEach(function (from) {
		var to = document.getElementById(from.dataset.filters);
		if (!to) return;
		function apply() {
			to.querySelectorAll('optgroup[data-compound]').forEach(function (g) {
				var show = !from.value || g.dataset.compound === from.value;
				g.hidden = !show;
				g.disabled = !show;
			});
			var chosen = to.selectedOptions[0];
			if (chosen && chosen.parentNode.disabled) to.value = '';
		}
		from.addEventListener('change', apply);
		apply();
	});
})();
