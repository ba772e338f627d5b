/* L.unitLabels: the administrative units' names, at a point inside each, where they fit (our code; inlined).
 *
 * L.unitLabels(data) takes the columns of maps.web_labels.label_data: per unit, in order of priority, its code,
 * tier, leaf flag, the ways to write its name (texts, plain text: set with textContent), its anchor (lat, lon),
 * `fit`, per ratio of data.ratios the height (Web Mercator metres) of the tallest box of that width/height ratio
 * centred on the anchor that lies inside the unit, and `far`, per ratio, [height, lat, lon] of a place in a long
 * or bent unit that holds a taller box of that ratio (0 for none). Tier k's names show from zoom data.minZoom[k]
 * until the next tier's (districts' names over the province, wards' once wards are large on screen).
 *
 * At each zoom a name shows in the first of its texts whose box, at the anchor or else at that place, lies inside
 * its unit and clears the names placed before it by GAP pixels (a grid of CELL-pixel cells keeps that test linear
 * in the number of units). A name shows only whole inside the map and clear of its controls (the legend, the
 * buttons, the scale), which a name beneath them would show through. Names are placed when a move or zoom ends,
 * the map is resized or a control changes size (the legend folded, its note grown), never while the map moves;
 * they are hidden during a zoom's animation and let the pointer through to the venues and units beneath.
 */
(function () {
  'use strict';

  var EARTH = 2 * Math.PI * 6378137, GAP = 3, CELL = 128, PAD_X = 3, PAD_Y = 1,
      FONTS = ['bold 13px "DejaVu Sans", "Segoe UI", Arial, sans-serif',  // units that hold others
               '12px "DejaVu Sans", "Segoe UI", Arial, sans-serif'],      // wards and communes
      LINE = [16, 15];

  L.UnitLabels = L.Layer.extend({
    options: {pane: 'unitLabelPane'},

    initialize: function (data, options) {
      L.setOptions(this, options);
      this._data = data;
      this._els = [];
      this._sizes = [{}, {}];
      this._shown = [];
    },

    onAdd: function (map) {
      if (!map.getPane(this.options.pane)) {  // above the venue dots (450), below tooltips, popups and controls
        var pane = map.createPane(this.options.pane);
        pane.style.zIndex = 460;
        pane.style.pointerEvents = 'none';
      }
      this._container = L.DomUtil.create('div', 'unit-labels leaflet-zoom-hide', this.getPane());
      if (window.ResizeObserver) {  // the control corners take the size of what they hold
        var self = this, corners = map.getContainer().querySelectorAll('.leaflet-control-container > div');
        this._observer = new ResizeObserver(function () {
          if (!self._frame) {
            self._frame = L.Util.requestAnimFrame(function () { self._frame = null; self._update(); });
          }
        });
        Array.prototype.forEach.call(corners, function (c) { this._observer.observe(c); }, this);
      }
      this._update();
    },

    onRemove: function () {
      if (this._observer) { this._observer.disconnect(); this._observer = null; }
      if (this._frame) { L.Util.cancelAnimFrame(this._frame); this._frame = null; }
      L.DomUtil.remove(this._container);
      this._container = null;
      this._els = [];
      this._shown = [];
    },

    getEvents: function () {
      return {moveend: this._update, viewreset: this._update, resize: this._update};  // moveend ends a zoom too
    },

    /** The names shown: [{code, level, text, rect: {l, t, r, b}}], the rectangles in map container pixels. */
    shown: function () {
      if (!this._map) { return []; }
      var base = this._map.getContainer().getBoundingClientRect(), d = this._data;
      return this._shown.map(function (i) {
        var r = this._els[i].getBoundingClientRect();
        return {code: d.code[i], level: d.levels[d.tier[i]], text: this._els[i].textContent,
                rect: {l: r.left - base.left, t: r.top - base.top, r: r.right - base.left, b: r.bottom - base.top}};
      }, this);
    },

    /** The tier whose names show at `zoom`: the last one whose first zoom it has reached. */
    _tier: function (zoom) {
      var tier = 0, first = this._data.minZoom;
      for (var k = 1; k < first.length; k++) {
        if (first[k] !== null && zoom >= first[k] - 1e-9) { tier = k; }
      }
      return tier;
    },

    /** The box (pixels) of `text` in the font of a larger unit's name (kind 0) or a ward's (kind 1), measured once. */
    _size: function (text, kind) {
      var cache = this._sizes[kind];
      if (!cache[text]) {
        if (!this._ctx) { this._ctx = document.createElement('canvas').getContext('2d'); }
        this._ctx.font = FONTS[kind];
        var lines = text.split('\n'), w = 0;
        for (var i = 0; i < lines.length; i++) { w = Math.max(w, this._ctx.measureText(lines[i]).width); }
        cache[text] = {w: Math.ceil(w) + 2 * PAD_X, h: lines.length * LINE[kind] + 2 * PAD_Y};
      }
      return cache[text];
    },

    _update: function () {
      var map = this._map;
      if (!map || !this._container) { return; }
      var d = this._data, zoom = map.getZoom(), tier = this._tier(zoom),
          pixels = 256 * Math.pow(2, zoom) / EARTH, grid = {}, shown = [], view = this._view(grid);
      for (var i = 0; i < d.code.length; i++) {
        var place = d.tier[i] === tier ? this._place(i, pixels, grid, view) : null, el = this._els[i];
        if (!place) {
          if (el) { el.style.display = 'none'; }
          continue;
        }
        if (!el) {
          el = this._els[i] = L.DomUtil.create('div', 'unit-label', this._container);
          el.style.font = FONTS[d.leaf[i]];
          el.style.lineHeight = LINE[d.leaf[i]] + 'px';
          el.style.padding = PAD_Y + 'px ' + PAD_X + 'px';
        }
        if (el.textContent !== place.text) { el.textContent = place.text; }
        el.style.width = place.w + 'px';
        el.style.height = place.h + 'px';
        el.style.display = '';
        L.DomUtil.setPosition(el, L.point(place.l, place.t));
        shown.push(i);
      }
      this._shown = shown;
    },

    /** The map's box in layer pixels; the boxes of its controls go into `grid`, as names placed before. */
    _view: function (grid) {
      var map = this._map, container = map.getContainer(), base = container.getBoundingClientRect(),
          origin = map.containerPointToLayerPoint([0, 0]), size = map.getSize(),
          controls = container.querySelectorAll('.leaflet-control');
      for (var n = 0; n < controls.length; n++) {
        var r = controls[n].getBoundingClientRect();
        if (r.width && r.height) {
          var l = r.left - base.left + origin.x, t = r.top - base.top + origin.y;
          this._clash(grid, {l: l, t: t, r: l + r.width, b: t + r.height}, true);
        }
      }
      return {l: origin.x, t: origin.y, r: origin.x + size.x, b: origin.y + size.y};
    },

    /** Where unit `i`'s name goes at `pixels` per metre: the first of its texts that fits in the unit, at its
     *  anchor or else at the place kept for a box of its shape, whole inside `view` and clear of the boxes in
     *  `grid` (which then holds it too); null where none does. */
    _place: function (i, pixels, grid, view) {
      var d = this._data, map = this._map, texts = d.texts[i], anchor = null;
      for (var k = 0; k < texts.length; k++) {
        var s = this._size(texts[k], d.leaf[i]), j = 0;
        while (j < d.ratios.length && d.ratios[j] < s.w / s.h) { j++; }
        if (j === d.ratios.length) { continue; }  // longer than any box measured
        var far = d.far[i][j], places = [[d.fit[i][j], null]];
        if (far) { places.push([far[0], far]); }
        for (var n = 0; n < places.length; n++) {
          if (places[n][0] * pixels < s.h) { continue; }  // not inside the unit there
          var at = places[n][1];
          var p = at ? map.latLngToLayerPoint([at[1], at[2]])
                     : (anchor = anchor || map.latLngToLayerPoint([d.lat[i], d.lon[i]]));
          var l = Math.round(p.x - s.w / 2), t = Math.round(p.y - s.h / 2),
              box = {l: l - GAP, t: t - GAP, r: l + s.w + GAP, b: t + s.h + GAP};
          if (l < view.l || t < view.t || l + s.w > view.r || t + s.h > view.b || this._clash(grid, box, false)) {
            continue;
          }
          this._clash(grid, box, true);
          return {text: texts[k], l: l, t: t, w: s.w, h: s.h};
        }
      }
      return null;
    },

    /** Whether `box` overlaps a box of `grid`; with `add`, put it into the grid instead. */
    _clash: function (grid, box, add) {
      for (var cx = Math.floor(box.l / CELL); cx <= Math.floor(box.r / CELL); cx++) {
        for (var cy = Math.floor(box.t / CELL); cy <= Math.floor(box.b / CELL); cy++) {
          var key = cx + ',' + cy, cell = grid[key];
          if (add) {
            (grid[key] = cell || []).push(box);
            continue;
          }
          for (var n = 0; cell && n < cell.length; n++) {
            var o = cell[n];
            if (box.l < o.r && o.l < box.r && box.t < o.b && o.t < box.b) { return true; }
          }
        }
      }
      return false;
    }
  });

  L.unitLabels = function (data, options) { return new L.UnitLabels(data, options); };
}());
