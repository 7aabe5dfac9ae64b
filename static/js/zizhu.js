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

  /* Uploads with data-progress: send with XMLHttpRequest to show how much
   * of a large roster file has gone up; the server's answer is shown as
   * if the form had been sent normally. Without script the form still works. */
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (e.defaultPrevented || !form.hasAttribute('data-progress') ||
        typeof window.FormData !== 'function') {
      return;
    }
    var bar = form.querySelector('progress');
    if (!bar) {
      return;
    }
    e.preventDefault();
    var xhr = new XMLHttpRequest();
    bar.hidden = false;
    bar.value = 0;
    xhr.upload.addEventListener('progress', function (p) {
      if (p.lengthComputable) {
        bar.value = Math.round(p.loaded * 100 / p.total);
      }
    });
    xhr.addEventListener('load', function () {
      if (xhr.status >= 200 && xhr.status < 300 && xhr.responseURL) {
        window.location.href = xhr.responseURL;
      } else {
        document.open();
        document.write(xhr.responseText);
        document.close();
      }
    });
    xhr.addEventListener('error', function () {
      bar.hidden = true;
      form.removeAttribute('data-progress');
      form.submit();
    });
    xhr.open('POST', form.action);
    xhr.send(new FormData(form));
  });
}());
