// linli: the live noise page (/noise/live) and the plaza display
// (/noise/display/N). Levels come from the page's event stream, which stays
// open (the server sends new levels as readings arrive); when it drops,
// EventSource asks again by itself (the server says "retry: 1000"). Both
// pages show the same values without this script.
(function () {
	'use strict';
	var root = document.getElementById('nl-live') || document.getElementById('dp');
	if (!root || !window.EventSource) {
		return;
	}
	var t = root.dataset; // texts in the reader's language: tOk, tOver, ...
	var display = root.id === 'dp';
	var classes = ['none', 'ok', 'near', 'over'];
	var lastMessage = 0;
	var source = null;

	function field(scope, name) {
		return scope ? scope.querySelector('[data-field="' + name + '"]') : null;
	}

	function setText(el, text) {
		if (el && el.textContent !== text) {
			el.textContent = text;
		}
	}

	function key(word) {
		return 't' + word.charAt(0).toUpperCase() + word.slice(1);
	}

	// clock: an epoch second as HH:MM:SS in Shanghai (UTC+8, no summer time).
	function clock(epoch) {
		return new Date((epoch + 8 * 3600) * 1000).toISOString().slice(11, 19);
	}

	function showLevel(scope, m) {
		var now = field(scope, 'now');
		if (!now) {
			return;
		}
		classes.forEach(function (c) {
			now.classList.toggle('nl-' + c, c === m['class']);
		});
		var level = field(now, 'level');
		if (m.level === null) {
			setText(level, t.tNoData);
			level.classList.add('nl-nodata');
		} else {
			setText(level, m.level.toFixed(1));
			level.classList.remove('nl-nodata');
		}
		setText(field(now, 'state'), t[key(m['class'])]);
		var sim = field(now, 'simulated');
		if (sim) {
			sim.hidden = !m.simulated;
		}
		setText(field(now, 'limit'), m.limit.toFixed(1));
		setText(field(now, 'limit-kind'), t[key(m.limit_kind)]);
		var when = field(now, 'when');
		if (m.level !== null) {
			setText(when, t.tMeasured + ' ' + clock(m.t));
		} else if (m.last) {
			setText(when, t.tLast + ' ' + m.last);
		} else {
			setText(when, t.tNever);
		}
	}

	function showTeams(scope, teams) {
		var list = field(scope, 'teams');
		if (!list) {
			return;
		}
		var text = teams.map(function (s) { return s.team + s.start + s.end; }).join('|');
		if (list.dataset.shown === text) {
			return;
		}
		list.dataset.shown = text;
		list.textContent = '';
		teams.forEach(function (s) {
			var li = document.createElement('li');
			var b = document.createElement('b');
			var span = document.createElement('span');
			b.textContent = s.team;
			span.className = 'muted';
			span.textContent = s.start + '–' + s.end;
			li.appendChild(b);
			li.appendChild(document.createTextNode(' '));
			li.appendChild(span);
			list.appendChild(li);
		});
		field(scope, 'no-teams').hidden = teams.length > 0;
	}

	function cell(row, text, cls) {
		var td = document.createElement('td');
		if (cls) {
			td.className = cls;
		}
		if (text !== null) {
			td.textContent = text;
		}
		row.appendChild(td);
		return td;
	}

	// showAlert: a row at the top of the meter's alerts and a banner.
	function showAlert(a) {
		var section = root.querySelector('[data-meter="' + a.meter_id + '"]');
		var body = field(section, 'alerts');
		if (!body || body.querySelector('[data-alert="' + a.id + '"]')) {
			return;
		}
		var row = document.createElement('tr');
		row.dataset.alert = a.id;
		if (!a.closed) {
			row.className = 'nl-open';
		}
		cell(row, a.opened);
		var closed = cell(row, a.closed);
		if (!a.closed) {
			var pill = document.createElement('span');
			pill.className = 'nl-pill';
			pill.textContent = t.tOngoing;
			closed.appendChild(pill);
		}
		cell(row, a.peak.toFixed(1), 'num');
		cell(row, a.threshold.toFixed(1), 'num');
		cell(row, a.teams || '—');
		var c = cell(row, a.case_id ? null : '—');
		if (a.case_id) {
			var link = document.createElement('a');
			link.href = '/cases/' + a.case_id;
			link.textContent = '#' + a.case_id;
			c.appendChild(link);
		}
		body.insertBefore(row, body.firstChild);
		body.closest('.st-scroll').hidden = false;
		field(section, 'no-alerts').hidden = true;
		var banner = field(root, 'banner');
		var name = section.querySelector('h2');
		banner.textContent = t.tNewAlert + ' · ' + (name ? name.textContent : '') + ' · ' +
			a.opened + ' · ' + a.peak.toFixed(1) + ' dB(A)' + (a.teams ? ' · ' + a.teams : '');
		banner.hidden = false;
	}

	function status(live, time) {
		var el = document.querySelector('[data-field="status"]');
		if (!el) {
			return;
		}
		el.classList.toggle('nl-lost', !live);
		setText(el, live ? t.tLive + ' ' + time : t.tLost);
	}

	function connect() {
		source = new EventSource(root.dataset.events);
		if (display) {
			source.addEventListener('level', function (ev) {
				lastMessage = Date.now();
				showLevel(root, JSON.parse(ev.data));
			});
		} else {
			source.addEventListener('levels', function (ev) {
				var data = JSON.parse(ev.data);
				lastMessage = Date.now();
				data.meters.forEach(function (m) {
					var section = root.querySelector('[data-meter="' + m.id + '"]');
					showLevel(section, m);
					showTeams(section, m.teams);
				});
				status(true, data.time.slice(11));
			});
			source.addEventListener('alert', function (ev) {
				showAlert(JSON.parse(ev.data));
			});
		}
		// A refused stream (signed out, 503) is closed for good: try again later.
		source.addEventListener('error', function () {
			if (source.readyState === EventSource.CLOSED) {
				setTimeout(connect, 5000);
			}
		});
	}

	// EventSource reconnects by itself, so an error event alone means
	// little: the connection is lost when nothing has come for a while.
	setInterval(function () {
		var stale = Date.now() - lastMessage > 6000;
		if (display) {
			root.classList.toggle('dp-stale', stale);
			setText(field(root, 'clock'), clock(Math.floor(Date.now() / 1000)).slice(0, 5));
		} else if (stale && lastMessage) {
			status(false);
		}
	}, 1000);

	// The display's zones follow the timetable: fetch them again each minute.
	if (display && window.fetch && window.DOMParser) {
		setInterval(function () {
			fetch(root.dataset.refresh, { cache: 'no-store' }).then(function (r) {
				return r.ok ? r.text() : null;
			}).then(function (html) {
				if (!html) {
					return;
				}
				var doc = new DOMParser().parseFromString(html, 'text/html');
				var fresh = field(doc, 'zones');
				var old = field(root, 'zones');
				if (fresh && old) {
					old.replaceWith(document.importNode(fresh, true));
				}
			}).catch(function () {});
		}, 60000);
	}
	connect();
})();
