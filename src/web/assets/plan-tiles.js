// linli: the site plan over the operator's map tiles (map_tiles in
// linli.conf), drawn with Debian's Leaflet served by linli itself. The
// server has already put the footprints and the markers the reader may
// open into #plan-data, in the tiles' datum (GCJ-02 when map_tiles_crs
// says so). Without this script the SVG plan below stays the plan.
(function () {
	var box = document.querySelector('.plan-tiles');
	var data = document.getElementById('plan-data');
	if (!box || !data || !window.L) {
		return;
	}
	var d = JSON.parse(data.textContent);
	box.hidden = false;
	var map = L.map(box, { scrollWheelZoom: false, zoomSnap: 0.25 });
	var url = box.dataset.url;
	// 天地图 names its servers t0..t7; most others a, b, c
	L.tileLayer(url, {
		maxZoom: 19,
		subdomains: url.indexOf('tianditu') >= 0 ? '01234567' : 'abc',
		attribution: box.dataset.attribution || ''
	}).addTo(map);
	var look = {
		0: { color: '#6b6f78', weight: 2, fillColor: '#ebe7f3', fillOpacity: 0.35 },
		1: { color: '#7d7668', weight: 1, fillColor: '#d9d4c7', fillOpacity: 0.6 },
		2: { color: '#ffffff', weight: 4, opacity: 0.8 },
		3: { color: '#e2dccd', weight: 2, opacity: 0.8 },
		4: { color: '#4f7a45', weight: 2, fillColor: '#cfe3c6', fillOpacity: 0.5 }
	};
	var plan = L.geoJSON(d.plan, {
		style: function (f) { return look[f.properties.kind] || look[0]; }
	});
	// the view first: Leaflet draws nothing on a map without one
	map.fitBounds(plan.getBounds());
	plan.addTo(map);
	d.markers.forEach(function (m) {
		L.circleMarker([m.at[1], m.at[0]], {
			radius: 10, color: '#1d2430', weight: 2, fillColor: m.fill, fillOpacity: 1
		}).bindTooltip(m.title).on('click', function () {
			window.location.href = '/cases/' + m.id;
		}).addTo(map);
	});
	// the SVG plan stays below for its labels, clusters and the legend
})();
