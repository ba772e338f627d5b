/* Tooltips, popups and clicks of the venue layer (our code; inlined into every map page after venue_layer.js).
 *
 * Adds to L.VenueLayer what it says about a venue: a tooltip on hover, turned to a side where it stays inside the
 * map and clear of the controls, and a popup on click (or from the page's API) with the signs and the numbers
 * behind them. All text reaches the page through textContent, never as HTML.
 */
(function () {
  'use strict';

  // where a tooltip opens from its venue, and how far from its centre
  var TIP_SIDES = {
    top: {direction: 'top', offset: [0, -6]}, bottom: {direction: 'bottom', offset: [0, 6]},
    left: {direction: 'left', offset: [-6, 0]}, right: {direction: 'right', offset: [6, 0]}
  };

  L.VenueLayer.include({
    _fmt: function (value, decimals) {
      try {
        return Number(value).toLocaleString(this.options.lang,
          {minimumFractionDigits: decimals, maximumFractionDigits: decimals});
      } catch (e) {
        return Number(value).toFixed(decimals);
      }
    },

    /** A DOM node describing venue `i` (text only); `full` adds address and signals. */
    describe: function (i, full) {
      var d = this._data, t = this.options.text, root = L.DomUtil.create('div', 'venue-info');
      L.DomUtil.create('b', '', root).textContent = d.name[i];
      var table = L.DomUtil.create('table', '', root);
      function row(label, value, className) {
        var tr = L.DomUtil.create('tr', '', table);
        L.DomUtil.create('th', '', tr).textContent = label;
        L.DomUtil.create('td', className || '', tr).textContent = value;
      }
      row(t.category, d.categories[d.cat[i]]);
      row(t.ward, d.wards[d.ward[i]]);
      if (full && d.address[i]) { row(t.address, d.address[i]); }
      row(t.scansPerDay, d.spd[i] === null ? '–' : this._fmt(d.spd[i], 1));  // null: no scan log yet
      var cls = (t.riskClasses || [])[this._cls[i]];  // class 0 names its risk itself
      row(t.risk, this._cls[i] === 0 ? cls : d.risk[i] + ' · ' + cls, 'venue-risk');  // one line
      if (full && !d.sig[i]) { row(t.signals, t.none); }
      if (full && d.sig[i]) {  // each sign with the numbers behind it, across the whole popup
        var why = (d.why || {})[i] || {};
        var head = L.DomUtil.create('th', '', L.DomUtil.create('tr', '', table));
        head.colSpan = 2;
        head.textContent = t.signals;
        for (var k = 0; k < d.signals.length; k++) {
          if (!(d.sig[i] & (1 << k))) { continue; }
          var item = L.DomUtil.create('td', 'venue-signal', L.DomUtil.create('tr', '', table));
          item.colSpan = 2;
          L.DomUtil.create('b', '', item).textContent = d.signals[k];
          if (why[k]) { L.DomUtil.create('div', '', item).textContent = why[k]; }
        }
      }
      return root;
    },

    openPopup: function (i) {
      this._hideTip();
      // no Leaflet auto-pan: the page pans popups clear of its controls itself (inspector_map.js)
      // as tall as the map allows (it scrolls beyond), wide enough for the signs' sentences
      this._popup = L.popup({className: 'venue-popup', offset: [0, -4], autoPan: false, maxWidth: 420,
                             maxHeight: Math.max(160, this._map.getSize().y - 90)})
        .setLatLng(this.latLngOf(i)).setContent(this.describe(i, true)).openOn(this._map);
      this._popupIndex = i;
    },

    /** Whether venue `i`'s popup is open. */
    _popupOpen: function (i) {
      return !!this._popup && this._popupIndex === i && this._map.hasLayer(this._popup);
    },

    _onMouseMove: function (e) {
      // over a control (legend, layer list) or a popup the pointer is not on the venues beneath
      var target = e.originalEvent && e.originalEvent.target;
      if (target && target.closest && target.closest('.leaflet-control, .leaflet-popup')) { this._hideTip(); return; }
      var i = this.hitTest(e.containerPoint), container = this._map.getContainer();
      if (i < 0) { this._hideTip(); return; }
      L.DomUtil.addClass(container, 'venue-hover');
      if (this._popupOpen(i)) {  // its popup says more already (a tooltip would peek out from under it)
        if (this._tip) { this._map.closeTooltip(this._tip); }
        this._tipIndex = -1;
        return;
      }
      if (i === this._tipIndex) { return; }
      this._tipIndex = i;
      if (!this._tip) { this._tip = L.tooltip({className: 'venue-tip', opacity: 1}); }  // opaque: it may lie over a popup
      L.setOptions(this._tip, TIP_SIDES.top);
      this._tip.setLatLng(this.latLngOf(i)).setContent(this.describe(i, false));
      this._map.openTooltip(this._tip);
      this._placeTip();
    },

    /** Turn the tooltip to a side of its venue where it stays inside the map and clear of the controls
     *  (legend, layer list, zoom buttons): above if it can, else below, right or left; where no side is
     *  clear, the one where least of it is hidden. */
    _placeTip: function () {
      var tip = this._tip, container = this._map.getContainer(), map = container.getBoundingClientRect(),
          controls = container.querySelectorAll('.leaflet-control'), sides = ['top', 'bottom', 'right', 'left'],
          best = null, bestHidden = Infinity;
      function overlap(a, b) {
        return Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
               Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
      }
      function hidden(r) {  // px² outside the map or under a control
        var out = r.width * r.height - overlap(r, map);
        for (var k = 0; k < controls.length; k++) { out += overlap(r, controls[k].getBoundingClientRect()); }
        return out;
      }
      for (var k = 0; k < sides.length; k++) {
        if (k > 0) {
          L.setOptions(tip, TIP_SIDES[sides[k]]);
          tip.update();
        }
        var el = tip.getElement(), h = el ? hidden(el.getBoundingClientRect()) : 0;
        if (h === 0) { return; }
        if (h < bestHidden) { best = sides[k]; bestHidden = h; }
      }
      L.setOptions(tip, TIP_SIDES[best]);
      tip.update();
    },

    _hideTip: function () {
      if (this._map) {
        L.DomUtil.removeClass(this._map.getContainer(), 'venue-hover');
        if (this._tip) { this._map.closeTooltip(this._tip); }
      }
      this._tipIndex = -1;
    },

    _onClick: function (e) {
      var i = this.hitTest(e.containerPoint);
      if (i < 0) { return; }
      this.setSelected(i);
      this.openPopup(i);
      this.fire('venueclick', {index: i, id: this._data.id[i]});
    }
  });
}());
