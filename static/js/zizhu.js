/* zizhu.js - small progressive enhancement.  Every page works without it.
 * Loaded with <script src="/static/js/zizhu.js" defer></script>; no inline
 * script, no eval (the Content-Security-Policy forbids both).
 *
 *   data-confirm="确定删除？"   on a button, a link or a form: asks first and
 *                               cancels the click or submit on 取消.
 *   data-autosubmit             on a <select> (or any input): submits its
 *                               form when the value changes.  Keep a submit
 *                               button in the form for readers without JS.
 *   (all POST forms)            a second submit within a few seconds is
 *                               ignored, so a slow network does not create
 *                               the same record twice.
 */
(function () {
  'use strict';

  function closest(el, selector) {
    while (el && el.nodeType === 1) {
      if ((el.matches || el.msMatchesSelector).call(el, selector)) {
        return el;
      }
      el = el.parentNode;
    }
    return null;
  }

  document.addEventListener('click', function (e) {
    var el = closest(e.target, 'button[data-confirm], a[data-confirm], input[data-confirm]');
    if (el && !window.confirm(el.getAttribute('data-confirm'))) {
      e.preventDefault();
      e.stopPropagation();
    }
  }, true);

  document.addEventListener('submit', function (e) {
    var form = e.target;
    var msg = form.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
      return;
    }
    if ((form.getAttribute('method') || '').toLowerCase() !== 'post') {
      return;
    }
    if (form.getAttribute('data-submitting')) {
      e.preventDefault();
      return;
    }
    form.setAttribute('data-submitting', '1');
    form.setAttribute('aria-busy', 'true');
    window.setTimeout(function () {
      form.removeAttribute('data-submitting');
      form.removeAttribute('aria-busy');
    }, 8000);
  });

  /* Coming back with the browser's back button must not leave forms locked. */
  window.addEventListener('pageshow', function () {
    var forms = document.querySelectorAll('form[data-submitting]');
    for (var i = 0; i < forms.length; i++) {
      forms[i].removeAttribute('data-submitting');
      forms[i].removeAttribute('aria-busy');
    }
  });

  document.addEventListener('change', function (e) {
    var el = e.target;
    if (!el.form || !el.hasAttribute('data-autosubmit')) {
      return;
    }
    if (typeof el.form.requestSubmit === 'function') {
      el.form.requestSubmit();
    } else {
      el.form.submit();
    }
  });
}());
