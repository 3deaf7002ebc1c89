/* Kieskaart embed loader. A host page writes
 *   <div data-kieskaart data-election="gr2026" data-municipality="GM0589"></div>
 *   <script src="https://<kieskaart>/embed.js" async></script>
 * and gets an iframe that is as tall as its content: the embed posts its
 * height ({kieskaart: "height", height}) whenever it changes. Optional
 * attributes: data-station (with data-election), data-lang, data-search,
 * data-map, data-theme, data-accent, data-k, data-needs (comma-separated),
 * data-title. Sets no cookies and loads nothing but the iframe. */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src).origin;
  var carried = ['lang', 'search', 'map', 'theme', 'accent', 'k'];

  function source(host) {
    var data = host.dataset;
    var path = '/embed';
    if (data.station && data.election) {
      path += '/s/' + encodeURIComponent(data.election) + '/' + encodeURIComponent(data.station);
    } else if (data.municipality) {
      path += '/g/' + encodeURIComponent(data.municipality);
    }
    var query = new URLSearchParams();
    if (data.election && !data.station) query.append('e', data.election);
    carried.forEach(function (name) {
      if (data[name]) query.append(name, data[name]);
    });
    (data.needs || '').split(',').forEach(function (need) {
      if (need.trim()) query.append('needs', need.trim());
    });
    var text = query.toString();
    return origin + path + (text ? '?' + text : '');
  }

  function embed(host) {
    if (host.querySelector('iframe')) return;
    var frame = document.createElement('iframe');
    frame.src = source(host);
    frame.title = host.dataset.title || 'Kieskaart';
    frame.allow = 'geolocation';
    frame.loading = 'lazy';
    frame.style.width = '100%';
    frame.style.height = '600px';
    frame.style.border = '0';
    frame.style.display = 'block';
    host.appendChild(frame);
  }

  window.addEventListener('message', function (event) {
    var message = event.data;
    if (event.origin !== origin || !message || message.kieskaart !== 'height') return;
    var height = Number(message.height);
    if (!(height > 0 && height < 100000)) return;
    document.querySelectorAll('[data-kieskaart] iframe').forEach(function (frame) {
      if (frame.contentWindow === event.source) frame.style.height = Math.ceil(height) + 'px';
    });
  });

  document.querySelectorAll('[data-kieskaart]').forEach(embed);
})();
