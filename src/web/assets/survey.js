// linli: a survey door's form (src/survey/pages_visit.c) shows a follow-up
// question as soon as the answer it follows is picked, and hides (and
// disables, so it is not sent) one whose answer is taken back. The form
// works without this: "保存" asks the server to show them.
(function () {
	var form = document.querySelector('form.survey-form');
	if (!form) {
		return;
	}
	function picked(code, value) {
		var inputs = form.querySelectorAll('[name="q_' + code + '"]');
		for (var i = 0; i < inputs.length; i++) {
			if (inputs[i].checked && inputs[i].value === value &&
			    !inputs[i].closest('fieldset[disabled]')) {
				return true;
			}
		}
		return false;
	}
	// in the page's order: a question's condition reads those before it
	function update() {
		var qs = form.querySelectorAll('fieldset[data-if-q]');
		for (var i = 0; i < qs.length; i++) {
			var on = picked(qs[i].getAttribute('data-if-q'), qs[i].getAttribute('data-if-a'));
			qs[i].hidden = !on;
			qs[i].disabled = !on;
		}
	}
	form.addEventListener('change', update);
	update();
})();
