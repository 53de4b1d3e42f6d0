// linli: the little script the pages use. Pages work without it.
// On a phone the navigation scrolls sideways; keep the current item in view.
(function () {
	var current = document.querySelector('nav.main [aria-current="page"]');
	if (current && current.scrollIntoView) {
		current.scrollIntoView({ block: 'nearest', inline: 'center' });
	}
})();
