/* window.inspectorMap: the JavaScript API of a map page (documented in maps/web.py; our code, inlined).
 *
 * setupInspectorMap(map, parts) wires the legend control, keeps one choropleth visible at a time (its
 * legend section follows it), connects the optional Qt web channel and publishes window.inspectorMap.
 */
(function () {
  'use strict';

  window.setupInspectorMap = function (map, parts) {
    var venues = parts.venues, choropleths = parts.choropleths, units = parts.units || {},
        legend = document.getElementById(parts.legend), api = {selected: null, map: map};

    if (map.attributionControl) { map.attributionControl.setPrefix(parts.prefix); }
    L.control.scale({imperial: false}).addTo(map);

    // --- legend: one control, the active choropleth's section and the risk colours ---
    function showSections() {
      if (!legend) { return; }
      var active = null;
      choropleths.forEach(function (c) { if (map.hasLayer(c[0])) { active = c[1]; } });
      var sections = legend.querySelectorAll('section');
      for (var i = 0; i < sections.length; i++) {
        var key = sections[i].getAttribute('data-layer');
        sections[i].hidden = key === 'venues' ? !(venues && map.hasLayer(venues)) : key !== active;
      }
    }
    if (legend) {
      var LegendControl = L.Control.extend({
        options: {position: 'bottomright'},
        onAdd: function () {
          L.DomEvent.disableClickPropagation(legend);
          L.DomEvent.disableScrollPropagation(legend);
          return legend;
        }
      });
      new LegendControl().addTo(map);
    }

    // --- one choropleth at a time ---
    map.on('layeradd', function (e) {
      var added = null;
      choropleths.forEach(function (c) { if (c[0] === e.layer) { added = c[0]; } });
      if (added) {
        choropleths.forEach(function (c) { if (c[0] !== added && map.hasLayer(c[0])) { map.removeLayer(c[0]); } });
      }
      if (added || e.layer === venues) { showSections(); }
    });
    map.on('layerremove', function (e) {
      var known = e.layer === venues;
      choropleths.forEach(function (c) { if (c[0] === e.layer) { known = true; } });
      if (known) { showSections(); }
    });
    showSections();

    // --- the API ---
    api.venueCount = function () { return venues ? venues.count() : 0; };

    api.selectVenue = function (id) {
      var i = venues ? venues.indexOf(id) : -1;
      if (i < 0) { return false; }
      if (!map.hasLayer(venues)) { map.addLayer(venues); }
      var latlng = venues.latLngOf(i);
      if (!map.getBounds().contains(latlng)) { map.panTo(latlng, {animate: false}); }
      api.selected = String(id);
      venues.setSelected(i);
      venues.openPopup(i);
      return true;
    };

    api.clearSelection = function () {
      api.selected = null;
      if (venues) { venues.setSelected(-1); }
      map.closePopup();
    };

    api.setLayerVisible = function (key, visible) {
      var layer = (parts.overlays || {})[key];
      if (!layer) { return false; }
      if (visible && !map.hasLayer(layer)) { map.addLayer(layer); }
      if (!visible && map.hasLayer(layer)) { map.removeLayer(layer); }
      return true;
    };

    api.layerVisible = function (key) {
      var layer = (parts.overlays || {})[key];
      return layer ? map.hasLayer(layer) : false;
    };

    api.zoomToUnit = function (code) {
      var bounds = units[String(code)];
      if (!bounds) { return false; }
      map.fitBounds(bounds);
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
      });
    }

    window.inspectorMap = api;
    return api;
  };
}());
