/* window.inspectorMap: the JavaScript API of a map page (documented in maps/web.py; our code, inlined).
 *
 * setupInspectorMap(map, parts) wires the legend control (legend.js), keeps one choropleth visible at a time
 * (its legend section follows it), keeps popups clear of the controls, connects the optional Qt web channel,
 * tells Qt which layers show whenever they change, draws the venues the app's table shows (the legend says
 * how many) and publishes window.inspectorMap.
 */
(function () {
  'use strict';

  window.setupInspectorMap = function (map, parts) {
    var venues = parts.venues, choropleths = parts.choropleths, units = parts.units || {},
        overlays = parts.overlays || {}, legend = document.getElementById(parts.legend),
        api = {selected: null, map: map};

    if (map.attributionControl) { map.attributionControl.setPrefix(parts.prefix); }
    L.control.scale({imperial: false}).addTo(map);

    // --- legend: one control, the active choropleth's section and the risk colours ---
    var opened = null;  // the open popup
    var legendControl = legend ? L.control.inspectorLegend(legend, {toggled: function () {
      if (opened && map.hasLayer(opened)) { clearPopup(opened, false); }  // the user's choice: never folded again
    }}).addTo(map) : null;
    function showSections() {
      if (!legend) { return; }
      var active = null;
      choropleths.forEach(function (c) { if (map.hasLayer(c[0])) { active = c[1]; } });
      var sections = legend.querySelectorAll('section');
      for (var i = 0; i < sections.length; i++) {
        var key = sections[i].getAttribute('data-layer');
        // an overlay's section (the venues', the reports') shows with it; a colouring's, when it is the one shown
        sections[i].hidden = key === 'venues' ? !(venues && map.hasLayer(venues))
          : overlays[key] ? !map.hasLayer(overlays[key]) : key !== active;
      }
      showFilterNote();
      legendControl.update();  // its size changed
    }

    // --- the table's filter: the legend says how many venues the layer shows, folded too ---
    var filterNote = null;
    function showFilterNote() {
      if (!legend || !venues) { return; }
      var on = venues.filtered() && map.hasLayer(venues);
      if (on && !filterNote) {
        filterNote = L.DomUtil.create('div', 'legend-filter');
        var toggle = legend.querySelector('.legend-toggle');
        legend.insertBefore(filterNote, toggle ? toggle.nextSibling : legend.firstChild);
      }
      if (!filterNote) { return; }
      filterNote.hidden = !on;
      var lang = venues.options.lang;
      filterNote.textContent = on ? String(venues.options.text.filtered || '')
        .replace('{shown}', venues.shownCount().toLocaleString(lang))
        .replace('{total}', venues.count().toLocaleString(lang)) : '';
    }

    // --- keep units and popups clear of the map's controls (the legend, the layer list) ---
    var MARGIN = 8;

    /** The controls' rectangles in container pixels. A folded layer list counts as it is when it opens (on
     *  hover, over whatever lies there), at most as tall as Leaflet lets it grow, so that a popup kept clear
     *  of it stays readable when the list opens. */
    function controlRects() {
      var container = map.getContainer(), base = container.getBoundingClientRect(), out = [],
          controls = container.querySelectorAll('.leaflet-control'), OPEN = 'leaflet-control-layers-expanded';
      for (var i = 0; i < controls.length; i++) {
        var c = controls[i], folded = L.DomUtil.hasClass(c, 'leaflet-control-layers') && !L.DomUtil.hasClass(c, OPEN);
        if (folded) { L.DomUtil.addClass(c, OPEN); }  // measured, never painted
        var r = c.getBoundingClientRect();
        if (folded) { L.DomUtil.removeClass(c, OPEN); }
        if (r.width > 0 && r.height > 0) {
          var bottom = r.bottom - base.top;
          out.push({l: r.left - base.left, t: r.top - base.top, r: r.right - base.left,
                    b: folded ? Math.min(bottom, map.getSize().y - 40) : bottom});
        }
      }
      return out;
    }

    function cornerSize(name) {
      var corner = map._controlCorners && map._controlCorners[name];
      return corner ? L.point(corner.offsetWidth, corner.offsetHeight) : L.point(0, 0);
    }

    /** Fit `bounds` into the part of the map the controls leave free: right of the zoom buttons and scale,
     *  and beside or between the right-hand ones (legend, layer list); `unlessThere`: not when the map shows
     *  that view already. */
    function fitClear(bounds, animate, unlessThere) {
      var top = cornerSize('topright'), bottom = cornerSize('bottomright'), m = MARGIN,
          left = Math.max(cornerSize('topleft').x, cornerSize('bottomleft').x) + m,
          beside = {paddingTopLeft: [left, m], paddingBottomRight: [Math.max(top.x, bottom.x) + m, m]},
          between = {paddingTopLeft: [left, top.y + m], paddingBottomRight: [m, bottom.y + m]};
      function zoom(o) {  // -1 when the controls leave no room at all that way
        var padding = L.point(o.paddingTopLeft).add(o.paddingBottomRight), size = map.getSize();
        if (padding.x >= size.x / 2 || padding.y >= size.y / 2) { return -1; }
        return map.getBoundsZoom(bounds, false, padding);
      }
      var zBeside = zoom(beside), zBetween = zoom(between);
      var options = zBetween > zBeside ? between : beside;
      if (zBeside < 0 && zBetween < 0) {  // a window too small for both: the unit matters more
        options = {padding: [m, m]};
      }
      options.animate = animate;
      var target = map._getBoundsCenterZoom(bounds, options);
      fitted = {bounds: bounds, center: target.center, zoom: target.zoom};
      if (unlessThere && isView(target)) { return; }  // no move, no redraw
      map.fitBounds(bounds, options);
    }

    /** Whether the map shows the view `v` ({center, zoom}), to a pixel. */
    function isView(v) {
      return Math.abs(map.getZoom() - v.zoom) < 1e-6 &&
        map.latLngToContainerPoint(v.center).distanceTo(map.getSize().divideBy(2)) <= 2;
    }

    var fitted = null;  // the bounds fitClear fitted last, and the view it gave them

    /** Fit the bounds fitted last again, as the controls now leave room, if the view is still the one that fit
     *  gave (the user has not moved the map since): a legend grown by the filter's note would cover them. */
    function refit() {
      if (fitted && isView(fitted)) { fitClear(fitted.bounds, false, true); }
    }

    /** Pan the map so an open popup is inside the view and covers no control (nor hides under one); where no
     *  position does, fold the legend meanwhile (unless `mayFold` is false: the user just opened it). */
    function clearPopup(popup, mayFold) {
      var el = popup.getElement();
      if (!el || !map.hasLayer(popup)) { return; }
      if (map._animatingZoom) {  // positions are final only once the zoom has ended
        map.once('zoomend', function () { clearPopup(popup, mayFold); });
        return;
      }
      var base = map.getContainer().getBoundingClientRect(), r = el.getBoundingClientRect(), m = MARGIN,
          size = map.getSize(), controls = controlRects(), dx = 0, dy = 0,
          box = {l: r.left - base.left, t: r.top - base.top, r: r.right - base.left, b: r.bottom - base.top + 6};
      function moved(sx, sy) { return {l: box.l - sx, r: box.r - sx, t: box.t - sy, b: box.b - sy}; }
      function fits(sx, sy) {
        var s = moved(sx, sy);
        if (s.l < m || s.t < m || s.r > size.x - m || s.b > size.y - m) { return false; }
        return controls.every(function (c) { return s.r + m <= c.l || c.r + m <= s.l || s.b + m <= c.t || c.b + m <= s.t; });
      }
      if (box.r + m > size.x) { dx = box.r + m - size.x; }
      if (box.l - dx < m) { dx = box.l - m; }
      if (box.b + m > size.y) { dy = box.b + m - size.y; }
      if (box.t - dy < m) { dy = box.t - m; }
      var s = moved(dx, dy), steps = [];
      controls.forEach(function (c) {
        steps.push([s.r + m - c.l, 0], [s.l - m - c.r, 0], [0, s.b + m - c.t], [0, s.t - m - c.b]);
      });
      var candidates = [[dx, dy]];
      steps.forEach(function (a, i) {
        candidates.push([dx + a[0], dy + a[1]]);
        steps.slice(i + 1).forEach(function (b) { candidates.push([dx + a[0] + b[0], dy + a[1] + b[1]]); });
      });
      var best = null;
      candidates.forEach(function (c) {
        if (fits(c[0], c[1]) && (!best || Math.abs(c[0]) + Math.abs(c[1]) < Math.abs(best[0]) + Math.abs(best[1]))) {
          best = c;
        }
      });
      if (!best && mayFold !== false && legendControl && !legendControl.folded()) {  // no room beside it
        legendControl.holdFor(popup);
        clearPopup(popup, false);
        return;
      }
      best = best || [dx, dy];  // too little room for both: at least inside the view
      if (best[0] || best[1]) { map.panBy(best, {animate: false}); }
    }
    map.on('popupopen', function (e) { opened = e.popup; clearPopup(e.popup); });
    map.on('popupclose', function (e) {
      if (opened === e.popup) { opened = null; }
      if (legendControl && legendControl.heldFor() === e.popup) { legendControl.holdFor(null); }
    });
    map.on('resize', function () {  // the legend folds or unfolds by its rule, and the popup stays clear of it
      if (legendControl) { legendControl.holdFor(null); }
      if (opened && map.hasLayer(opened)) { clearPopup(opened); }
    });

    // --- one choropleth at a time; Qt hears of every change ---
    function choropleth(layer) {
      for (var i = 0; i < choropleths.length; i++) { if (choropleths[i][0] === layer) { return choropleths[i]; } }
      return null;
    }
    function isOverlay(layer) {
      return Object.keys(overlays).some(function (key) { return overlays[key] === layer; });
    }
    var reporting = false;
    /** Tell Qt (once the current changes are over) which overlays and which colouring show. */
    function report() {
      if (reporting || !window.qtBridge) { return; }
      reporting = true;
      setTimeout(function () {
        reporting = false;
        if (window.qtBridge) { window.qtBridge.layersChanged(JSON.stringify(api.layers())); }
      }, 0);
    }
    var lastLevel = choropleths.length ? choropleths[choropleths.length - 1][2] : null;
    choropleths.forEach(function (c) { if (map.hasLayer(c[0])) { lastLevel = c[2]; } });
    map.on('layeradd', function (e) {
      var added = choropleth(e.layer);
      if (added) {  // the layer list offers one at a time; code adding another replaces the one shown
        lastLevel = added[2];
        choropleths.forEach(function (c) { if (c !== added && map.hasLayer(c[0])) { map.removeLayer(c[0]); } });
      }
      if (added || e.layer === venues || e.layer === overlays.reports) { showSections(); }
      if (added || isOverlay(e.layer)) { report(); }
    });
    map.on('layerremove', function (e) {
      var removed = choropleth(e.layer);
      if (removed || e.layer === venues || e.layer === overlays.reports) { showSections(); }
      if (removed || isOverlay(e.layer)) { report(); }
    });
    showSections();

    // --- the API ---
    var VENUE_ZOOM = 15;  // a few streets around a venue chosen in the table
    api.venueCount = function () { return venues ? venues.count() : 0; };

    /** Select venue `id`; with `zoom` (a choice in the table), also zoom in to its street if farther out. */
    api.selectVenue = function (id, zoom) {
      var i = venues ? venues.indexOf(id) : -1;
      if (i < 0) { return false; }
      if (!map.hasLayer(venues)) { map.addLayer(venues); }
      var latlng = venues.latLngOf(i);
      if (zoom && map.getZoom() < VENUE_ZOOM) {
        map.setView(latlng, VENUE_ZOOM, {animate: false});
      } else if (!map.getBounds().contains(latlng)) {
        map.panTo(latlng, {animate: false});
      }
      api.selected = String(id);
      venues.setSelected(i);
      venues.openPopup(i);
      return true;
    };

    /** Draw only the venues the table shows: `bits` packs a flag per venue of the layer, in its order, least
     *  significant bit first, as base64 (maps.venues.pack_shown); `null` draws them all again. The selected
     *  venue stays drawn. `false` (nothing changed) for flags of another number of venues. */
    api.filterVenues = function (bits) {
      if (!venues) { return false; }
      var shown = null, n = venues.count();
      if (bits) {
        var raw = atob(bits);
        if (raw.length !== Math.ceil(n / 8)) { return false; }
        shown = new Uint8Array(n);
        for (var i = 0; i < n; i++) { shown[i] = (raw.charCodeAt(i >> 3) >> (i & 7)) & 1; }
      }
      venues.setFilter(shown);
      showFilterNote();
      if (legendControl) { legendControl.update(); }  // the note changed its size
      refit();
      return true;
    };

    /** How many venues the table's filter lets through: all of them without one. */
    api.shownVenueCount = function () { return venues ? venues.shownCount() : 0; };

    /** Whether the venue layer's last frame drew venue `id` (the filter lets it through, or it is selected,
     *  and it lies in or near the view). */
    api.venueDrawn = function (id) {
      var i = venues ? venues.indexOf(id) : -1;
      return i >= 0 && map.hasLayer(venues) && venues.wasDrawn(i);
    };

    /** How many venues the last frame of the venue layer drew (those in or near the view). */
    api.drawnVenueCount = function () { return venues && map.hasLayer(venues) ? venues.drawnCount() : 0; };

    /** The legend's note on the filter, '' when none shows. */
    api.filterNote = function () { return filterNote && !filterNote.hidden ? filterNote.textContent : ''; };

    api.venueStyle = function (id) {
      var i = venues ? venues.indexOf(id) : -1;
      return i < 0 ? null : venues.styleOf(i);
    };

    api.clearSelection = function () {
      api.selected = null;
      if (venues) { venues.setSelected(-1); }
      map.closePopup();
    };

    api.setLayerVisible = function (key, visible) {
      var layer = overlays[key];
      if (!layer) { return false; }
      if (visible && !map.hasLayer(layer)) { map.addLayer(layer); }
      if (!visible && map.hasLayer(layer)) { map.removeLayer(layer); }
      return true;
    };

    api.unitLabels = function () {
      var layer = overlays.labels;
      return layer && map.hasLayer(layer) ? layer.shown() : [];
    };

    api.layerVisible = function (key) {
      var layer = overlays[key];
      return layer ? map.hasLayer(layer) : false;
    };

    /** The colouring shown, {metric, level}, or null. */
    api.colouring = function () {
      for (var i = 0; i < choropleths.length; i++) {
        if (map.hasLayer(choropleths[i][0])) { return {metric: choropleths[i][3], level: choropleths[i][2]}; }
      }
      return null;
    };

    /** Colour the units by `metric` (null: no colouring) at `level`, by default the level coloured last. */
    api.setColouring = function (metric, level) {
      var target = null;
      if (metric) {
        var wanted = level || lastLevel;
        choropleths.forEach(function (c) { if (c[3] === metric && c[2] === wanted) { target = c; } });
        if (!target) { return false; }
        if (!map.hasLayer(target[0])) { map.addLayer(target[0]); }
      }
      choropleths.forEach(function (c) { if (c !== target && map.hasLayer(c[0])) { map.removeLayer(c[0]); } });
      return true;
    };

    /** What shows: {overlays: {key: visible}, colouring: {metric, level} or null}. */
    api.layers = function () {
      var shown = {};
      Object.keys(overlays).forEach(function (key) { shown[key] = map.hasLayer(overlays[key]); });
      return {overlays: shown, colouring: api.colouring()};
    };

    // --- the unit chosen in the tree is outlined in black in every layer that draws it ---
    var marks = parts.marks || {}, marked = [];
    function markUnit(code) {
      marked.forEach(function (m) { m[0].resetStyle(m[1]); });
      marked = [];
      var where = marks[String(code)];
      if (!where) { return; }
      var layers = [];
      choropleths.forEach(function (c) { if (c[2] === where[0]) { layers.push([c[0], where[1]]); } });
      if (where[2] !== null && overlays.boundaries) { layers.push([overlays.boundaries, where[2]]); }
      layers.forEach(function (entry) {
        entry[0].eachLayer(function (l) {
          if (l.feature && String(l.feature.id) === entry[1]) {
            l.setStyle(MARK);
            marked.push([entry[0], l]);
          }
        });
      });
    }
    var MARK = {color: '#000000', weight: 3.5};
    choropleths.forEach(function (c) {  // a unit hovered and left is reset by folium: mark it again
      c[0].on('mouseout', function (e) {
        var left = e.propagatedFrom || e.layer;
        marked.forEach(function (m) { if (m[1] === left) { left.setStyle(MARK); } });
      });
    });
    api.markUnit = function (code) { markUnit(code); return !!marks[String(code)]; };
    api.markedUnit = function () { return marked.length ? String(marked[0][1].feature.id) : ''; };

    api.zoomToUnit = function (code) {
      var bounds = units[String(code)];
      if (!bounds) { return false; }
      markUnit(code);
      fitClear(bounds, true);
      return true;
    };

    api.foldLegend = function (folded) {
      if (!legendControl) { return false; }
      legendControl.fold(folded);
      if (opened && map.hasLayer(opened)) { clearPopup(opened, false); }  // as its button does
      return true;
    };

    api.legendFolded = function () { return !!legendControl && legendControl.folded(); };

    api.viewState = function () {
      var c = map.getCenter();
      return {center: [c.lat, c.lng], zoom: map.getZoom(), legendFolded: api.legendFolded(),
              legendByHand: legendControl ? legendControl.byHand() : null, colouring: api.colouring()};
    };

    api.setViewState = function (state) {
      if (!state || !state.center) { return false; }
      if ('colouring' in state) {
        api.setColouring(state.colouring ? state.colouring.metric : null, state.colouring ? state.colouring.level : null);
      }
      if (legendControl) { legendControl.fold(state.legendByHand === undefined ? null : state.legendByHand); }
      map.setView(state.center, state.zoom, {animate: false});
      return true;
    };

    if (venues) {
      venues.on('venueclick', function (e) {
        api.selected = String(e.id);
        if (window.qtBridge) { window.qtBridge.venueClicked(String(e.id)); }
      });
    }

    // --- Qt web channel (pages built with bridge=True) ---
    if (parts.bridge && typeof QWebChannel !== 'undefined' && window.qt && window.qt.webChannelTransport) {
      new QWebChannel(window.qt.webChannelTransport, function (channel) {
        window.qtBridge = channel.objects.bridge;
        report();  // what shows by now, whoever changed it before the channel was up
      });
    }

    if (parts.view) { fitClear(parts.view, false); }
    window.inspectorMap = api;
    return api;
  };
}());
