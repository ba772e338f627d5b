/* Venues as one canvas layer for Leaflet 1.9 (our code; inlined into every map page).
 *
 * L.venueLayer(data, options): `data` holds equal-length columns (id, name, address, lat, lon, spd, risk,
 * cat, ward, sig), label lists (categories, wards, signals) and `why` (row -> signal bit -> the numbers
 * behind it, for the popup). Circles are coloured by risk class and sized by sqrt(expected traffic); only
 * circles inside the padded view are drawn, batched per colour, and a bucket grid of the drawn circles
 * answers hover and click hit tests. Tooltips, popups and clicks are in venue_info.js.
 *
 * Symbols follow the zoom (SYMBOLS): zoomed out to a district or the province, every venue is a small dot
 * whatever its class, no-signal dots are translucent so the choropleth under them still reads, and
 * high-risk dots, drawn last, get a thin white ring each, so that they stay findable one by one without
 * a cluster of them merging into one red patch. Zoomed in to a ward, circles grow to their full range of
 * sizes, riskier classes get a larger smallest size, and every circle gets a dark outline.
 */
(function () {
  'use strict';

  var CELL = 24;  // px, grid cell for hit tests (>= twice the largest hit radius)

  // Symbols by zoom, interpolated linearly between these stops (and held beyond the first and last):
  // zoom, smallest and largest radius (px), how much larger the smallest riskier circle is (share of the
  // smallest radius per risk class), opacity of no-signal fills, of the other fills, dark outline (0-1).
  var SYMBOLS = [
    [10, 1.3, 2.5, 0, 0.7, 0.9, 0],
    [12, 1.6, 3.6, 0, 0.8, 0.95, 0.5],
    [13.5, 1.9, 5.5, 0.2, 0.9, 1, 1],
    [15, 2, 7, 0.25, 0.9, 1, 1],
    [17, 2.6, 9, 0.25, 0.9, 1, 1]
  ];
  var KEYS = ['zoom', 'rMin', 'rMax', 'riskGrow', 'opacityNone', 'opacity', 'outline'];
  var FILTER_ZOOM = 3;  // at most this many zoom levels larger are the symbols of the venues a filter leaves

  /** The symbol settings at `zoom` (see SYMBOLS), as an object. */
  function symbolsAt(zoom) {
    var a = SYMBOLS[0], b = SYMBOLS[0], k;
    for (k = 0; k < SYMBOLS.length; k++) {
      b = SYMBOLS[k];
      if (zoom <= b[0]) { break; }
      a = b;
    }
    var f = b[0] > a[0] ? Math.min(1, Math.max(0, (zoom - a[0]) / (b[0] - a[0]))) : 0, out = {};
    for (k = 0; k < KEYS.length; k++) { out[KEYS[k]] = a[k] + f * (b[k] - a[k]); }
    out.zoom = zoom;
    return out;
  }

  function riskClass(risk, limits) {
    if (!(risk > 0)) { return 0; }
    return risk < limits[0] ? 1 : (risk < limits[1] ? 2 : 3);
  }

  L.VenueLayer = L.Layer.extend({
    options: {
      pane: 'venuePane', padding: 0.3, colors: ['#94a89a', '#fed976', '#fd8d3c', '#bd0026'],
      limits: [30, 60], lang: 'en-GB', text: {}
    },

    initialize: function (data, options) {
      L.setOptions(this, options);
      var n = data.id.length, i;
      this._data = data;
      this._n = n;
      this._cls = new Uint8Array(n);
      this._size = new Float32Array(n);
      var counts = [0, 0, 0, 0], keys = new Float64Array(n);
      for (i = 0; i < n; i++) {
        var c = riskClass(data.risk[i], this.options.limits);
        this._cls[i] = c;
        counts[c]++;
        // size 0-1 by sqrt(expected traffic): about 10 a day or fewer is the smallest, 135 or more the largest
        var size = data.size ? data.size[i] : data.spd[i];
        this._size[i] = Math.min(1, Math.max(0, (0.5 * Math.sqrt(Math.max(0, size)) - 0.8) / 5));
        // draw order: by risk class, so high-risk circles end up on top; in a class the large ones first,
        // so a small circle is never hidden under a large one of its colour
        keys[i] = (c * 1024 + Math.round((1 - this._size[i]) * 1000)) * n + i;
      }
      keys.sort();
      this._order = new Uint32Array(n);
      for (i = 0; i < n; i++) { this._order[i] = keys[i] % n; }
      this._classEnd = [counts[0], counts[0] + counts[1], counts[0] + counts[1] + counts[2], n];
      this._selected = -1;
      this._index = null;
      this._shown = null;  // see setFilter
      this._shownCount = n;
    },

    count: function () { return this._n; },

    indexOf: function (id) {
      if (!this._index) {
        this._index = new Map();
        for (var i = 0; i < this._n; i++) { this._index.set(String(this._data.id[i]), i); }
      }
      var found = this._index.get(String(id));
      return found === undefined ? -1 : found;
    },

    latLngOf: function (i) { return L.latLng(this._data.lat[i], this._data.lon[i]); },

    onAdd: function (map) {
      if (!map.getPane(this.options.pane)) {
        var pane = map.createPane(this.options.pane);
        pane.style.zIndex = 450;
        pane.style.pointerEvents = 'none';
      }
      if (!this._canvas) {
        this._canvas = L.DomUtil.create('canvas', 'venue-layer');
        if (map._zoomAnimated) { L.DomUtil.addClass(this._canvas, 'leaflet-zoom-animated'); }
        this._ctx = this._canvas.getContext('2d');
      }
      this.getPane().appendChild(this._canvas);
      this._project();
      this._update();
    },

    onRemove: function () {
      L.DomUtil.remove(this._canvas);
      this._hideTip();
      this._grid = null;
    },

    getEvents: function () {
      var events = {
        viewreset: this._reset, zoom: this._onZoom, moveend: this._update, resize: this._update,
        mousemove: this._onMouseMove, mouseout: this._hideTip, click: this._onClick
      };
      if (this._map._zoomAnimated) { events.zoomanim = this._onAnimZoom; }
      return events;
    },

    // --- projection and placement (as Leaflet's own L.Renderer) ---
    _project: function () {
      if (this._wx) { return; }
      var crs = this._map.options.crs, d = this._data, n = this._n;
      this._wx = new Float64Array(n);
      this._wy = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        var p = crs.latLngToPoint(L.latLng(d.lat[i], d.lon[i]), 0);
        this._wx[i] = p.x;
        this._wy[i] = p.y;
      }
    },

    _onAnimZoom: function (e) { this._updateTransform(e.center, e.zoom); },

    _onZoom: function () { this._updateTransform(this._map.getCenter(), this._map.getZoom()); },

    _updateTransform: function (center, zoom) {
      var map = this._map, scale = map.getZoomScale(zoom, this._zoom),
          viewHalf = map.getSize().multiplyBy(0.5 + this.options.padding),
          currentCenterPoint = map.project(this._center, zoom),
          topLeftOffset = viewHalf.multiplyBy(-scale).add(currentCenterPoint)
            .subtract(map._getNewPixelOrigin(center, zoom));
      if (L.Browser.any3d) { L.DomUtil.setTransform(this._canvas, topLeftOffset, scale); }
      else { L.DomUtil.setPosition(this._canvas, topLeftOffset); }
    },

    _reset: function () {
      this._update();
      this._updateTransform(this._center, this._zoom);
    },

    _update: function () {
      var map = this._map;
      if (!map) { return; }
      var p = this.options.padding, size = map.getSize(),
          min = map.containerPointToLayerPoint(size.multiplyBy(-p)).round();
      this._bounds = new L.Bounds(min, min.add(size.multiplyBy(1 + p * 2)).round());
      this._center = map.getCenter();
      this._zoom = map.getZoom();
      var s = this._bounds.getSize(), dpr = window.devicePixelRatio || 1;
      L.DomUtil.setPosition(this._canvas, min);
      this._canvas.width = Math.round(dpr * s.x);
      this._canvas.height = Math.round(dpr * s.y);
      this._canvas.style.width = s.x + 'px';
      this._canvas.style.height = s.y + 'px';
      this._ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      this._draw();
    },

    /** The symbol settings at the current zoom (or at `zoom`): radii, opacities, outline (see SYMBOLS). A filter
     *  showing a k-th of the venues draws them as at the zoom where all would lie as thinly on the screen: log4(k)
     *  levels further in (at most FILTER_ZOOM), so that a few venues left read as well as a street's. */
    symbols: function (zoom) {
      var z = zoom === undefined ? (this._map ? this._map.getZoom() : SYMBOLS[0][0]) : zoom,
          k = this._n / Math.max(1, this._shownCount);
      return symbolsAt(z + (this._shown ? Math.min(FILTER_ZOOM, Math.log(k) / Math.log(4)) : 0));
    },

    /** Radius (px) of venue `i` with symbol settings `s`. */
    _radius: function (i, s) {
      var r = s.rMin + this._size[i] * (s.rMax - s.rMin);
      return Math.max(r, s.rMin * (1 + s.riskGrow * this._cls[i]));
    },

    /** How venue `i` is drawn at the current zoom: radius (px), fill opacity, strength (0-1) of its dark
     *  outline and of its white ring, and its risk class. */
    styleOf: function (i) {
      var s = this.symbols(), c = this._cls[i], ringed = c === 3 && s.outline < 1;
      return {radius: this._radius(i, s), opacity: c === 0 ? s.opacityNone : s.opacity,
              outline: ringed ? 0 : s.outline, ring: ringed ? 1 - s.outline : 0, riskClass: c};
    },

    // --- drawing, and the bucket grid of what was drawn ---
    _draw: function () {
      var ctx = this._ctx, b = this._bounds, w = b.max.x - b.min.x, h = b.max.y - b.min.y,
          scale = this._map.getZoomScale(this._zoom, 0), origin = this._map.getPixelOrigin(),
          ox = -origin.x - b.min.x, oy = -origin.y - b.min.y, s = this.symbols(this._zoom),
          n = this._n, order = this._order, colors = this.options.colors, k, c, i, x, y, r;
      ctx.clearRect(0, 0, w, h);
      if (!this._vis) {
        this._vis = new Uint32Array(n); this._vx = new Float32Array(n);
        this._vy = new Float32Array(n); this._vr = new Float32Array(n);
      }
      var vis = this._vis, vx = this._vx, vy = this._vy, vr = this._vr, size = this._size, wx = this._wx,
          wy = this._wy, span = s.rMax - s.rMin, m = 0, first, least, shown = this._shown, sel = this._selected;
      for (c = 0, k = 0; c < 4; c++) {
        // zoomed out, each high-risk dot gets a white ring (drawn one by one, so they never merge)
        var ringed = c === 3 && s.outline < 1;
        first = m;
        least = s.rMin * (1 + s.riskGrow * c);  // as _radius, inlined: this loop runs for every venue
        ctx.beginPath();
        for (; k < this._classEnd[c]; k++) {
          i = order[k];
          if (shown && !shown[i] && i !== sel) { continue; }  // hidden by the table's filter
          x = wx[i] * scale + ox;
          y = wy[i] * scale + oy;
          r = Math.max(s.rMin + size[i] * span, least);
          if (x < -r || y < -r || x > w + r || y > h + r) { continue; }
          if (!ringed) {
            ctx.moveTo(x + r, y);
            ctx.arc(x, y, r, 0, 2 * Math.PI);
          }
          vis[m] = i; vx[m] = x; vy[m] = y; vr[m] = r; m++;
        }
        ctx.globalAlpha = c === 0 ? s.opacityNone : s.opacity;
        ctx.fillStyle = colors[c];
        if (ringed) {
          this._drawRinged(first, m, s);
        } else {
          ctx.fill();
          if (s.outline > 0) {
            ctx.globalAlpha = 1;
            ctx.lineWidth = 0.6;
            ctx.strokeStyle = 'rgba(40, 40, 40, ' + (0.8 * s.outline) + ')';
            ctx.stroke();
          }
        }
      }
      ctx.globalAlpha = 1;
      this._drawn = m;
      this._buildGrid(vis, vx, vy, vr, m, w, h);
      this._drawSelection(scale, ox, oy, s);
    },

    /** Draw the drawn circles `from` to `to` one by one, each filled, then ringed in white. */
    _drawRinged: function (from, to, s) {
      var ctx = this._ctx, vx = this._vx, vy = this._vy, vr = this._vr, fill = ctx.fillStyle;
      ctx.lineWidth = 0.8;
      ctx.strokeStyle = 'rgba(255, 255, 255, ' + (0.9 * (1 - s.outline)) + ')';
      for (var j = from; j < to; j++) {
        ctx.beginPath();
        ctx.arc(vx[j], vy[j], vr[j] + 0.4, 0, 2 * Math.PI);
        ctx.stroke();
        ctx.beginPath();
        ctx.arc(vx[j], vy[j], vr[j], 0, 2 * Math.PI);
        ctx.fillStyle = fill;
        ctx.fill();
      }
    },

    _buildGrid: function (vis, vx, vy, vr, m, w, h) {
      var cols = Math.max(1, Math.ceil(w / CELL)), rows = Math.max(1, Math.ceil(h / CELL)),
          start = new Uint32Array(cols * rows + 1), items = new Uint32Array(m), cell = new Uint32Array(m), j;
      for (j = 0; j < m; j++) {
        var cx = Math.min(cols - 1, Math.max(0, Math.floor(vx[j] / CELL))),
            cy = Math.min(rows - 1, Math.max(0, Math.floor(vy[j] / CELL)));
        cell[j] = cy * cols + cx;
        start[cell[j] + 1]++;
      }
      for (j = 0; j < cols * rows; j++) { start[j + 1] += start[j]; }
      var fill = start.slice(0, cols * rows);
      for (j = 0; j < m; j++) { items[fill[cell[j]]++] = j; }
      this._grid = {cols: cols, rows: rows, start: start, items: items, vis: vis, vx: vx, vy: vy, vr: vr};
    },

    _drawSelection: function (scale, ox, oy, s) {
      var i = this._selected;
      if (i < 0) { return; }
      var ctx = this._ctx, x = this._wx[i] * scale + ox, y = this._wy[i] * scale + oy,
          r = this._radius(i, s) + 4;
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.lineWidth = 4;
      ctx.strokeStyle = '#000000';
      ctx.stroke();
      ctx.lineWidth = 2;
      ctx.strokeStyle = '#ffffff';
      ctx.stroke();
    },

    /** Index of the top-most venue under container point `pt`, or -1. */
    hitTest: function (pt) {
      var g = this._grid;
      if (!g || !this._map) { return -1; }
      var lp = this._map.containerPointToLayerPoint(pt), x = lp.x - this._bounds.min.x,
          y = lp.y - this._bounds.min.y, cx = Math.floor(x / CELL), cy = Math.floor(y / CELL),
          best = -1, bestKey = -1;
      for (var gy = cy - 1; gy <= cy + 1; gy++) {
        if (gy < 0 || gy >= g.rows) { continue; }
        for (var gx = cx - 1; gx <= cx + 1; gx++) {
          if (gx < 0 || gx >= g.cols) { continue; }
          var c = gy * g.cols + gx;
          for (var s = g.start[c]; s < g.start[c + 1]; s++) {
            var j = g.items[s], dx = g.vx[j] - x, dy = g.vy[j] - y, rr = g.vr[j] + 3;
            if (dx * dx + dy * dy <= rr * rr && j > bestKey) { best = g.vis[j]; bestKey = j; }
          }
        }
      }
      return best;  // later in draw order = drawn on top
    },

    // --- the table's filter, and the selection (tooltips and popups: venue_info.js) ---
    /** Draw only the venues whose flag in `shown` (one per venue, in the layer's order) is set, and the
     *  selected one whatever its flag; `null` draws every venue. A venue not drawn cannot be hovered or clicked. */
    setFilter: function (shown) {
      var count = this._n;
      if (shown) {
        count = 0;
        for (var i = 0; i < this._n; i++) { count += shown[i] ? 1 : 0; }
      }
      this._shown = shown;
      this._shownCount = count;
      if (this._hideTip) { this._hideTip(); }  // it may be a hidden venue's
      if (this._map && this._bounds) { this._draw(); }
    },

    /** Whether a filter is set (see setFilter). */
    filtered: function () { return this._shown !== null; },

    /** How many venues the filter lets through (all without one). */
    shownCount: function () { return this._shownCount; },

    /** How many venues the last frame drew (those in or near the view). */
    drawnCount: function () { return this._drawn || 0; },

    /** Whether the last frame drew venue `i` (so that it can be hovered and clicked). */
    wasDrawn: function (i) {
      for (var j = 0; j < (this._drawn || 0); j++) { if (this._vis[j] === i) { return true; } }
      return false;
    },

    setSelected: function (i) {
      this._selected = i;
      if (this._map && this._bounds) { this._draw(); }
    }
  });

  L.venueLayer = function (data, options) { return new L.VenueLayer(data, options); };
}());
