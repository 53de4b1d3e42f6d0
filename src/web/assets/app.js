// linli: the little script the pages use. Pages work without it.
// On a phone the navigation scrolls sideways; keep the current item in view.
(function () {
	var current = document.querySelector('nav.main [aria-current="page"]');
	if (current && current.scrollIntoView) {
		current.scrollIntoView({ block: 'nearest', inline: 'center' });
	}
})();

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
			picker.querySelector('[name="plan_x"]').value = x;
			picker.querySelector('[name="plan_y"]').value = y;
			var dot = svg.querySelector('.pick');
			dot.setAttribute('cx', x);
			dot.setAttribute('cy', y);
		});
	}
})();

// Print buttons (the timetable, its notice): hidden until this script can
// serve them, since the Content-Security-Policy forbids inline handlers.
(function () {
	var buttons = document.querySelectorAll('[data-print]');
	for (var i = 0; i < buttons.length; i++) {
		buttons[i].hidden = false;
		buttons[i].addEventListener('click', function () {
			window.print();
		});
	}
})();
