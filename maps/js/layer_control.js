/* L.control.inspectorLayers: Leaflet's layer list with the colourings as one choice (our code; inlined).
 *
 * L.control.inspectorLayers(baseLayers, colourings, overlays, options) lists the base layers, then the
 * colourings (the choropleths) as radio buttons of one group ending with "no colouring"
 * (options.noneLabel, plain text), then the overlays as check boxes. Only one colouring is ever ticked, so
 * Leaflet's click handling, which adds every ticked layer and removes every unticked one, never meets a
 * colouring removed behind its back. The page (inspector_map.js) keeps one colouring on the map when code
 * adds another; the list redraws itself from the map whenever a layer comes or goes outside a click.
 */
(function () {
  'use strict';

  var Layers = L.Control.Layers;

  L.Control.InspectorLayers = Layers.extend({
    options: {noneLabel: 'No colouring'},

    initialize: function (baseLayers, colourings, overlays, options) {
      Layers.prototype.initialize.call(this, baseLayers, null, options);
      this._colourings = [];
      for (var name in colourings) {
        this._colourings.push(colourings[name]);
        this._addLayer(colourings[name], name, true);
      }
      for (name in overlays) { this._addLayer(overlays[name], name, true); }
    },

    _initLayout: function () {
      Layers.prototype._initLayout.call(this);
      var section = this._section;
      // base layers | colourings | overlays, a separator between each
      this._colouringList = L.DomUtil.create('div', 'leaflet-control-layers-overlays inspector-colourings');
      this._colouringSeparator = L.DomUtil.create('div', 'leaflet-control-layers-separator');
      section.insertBefore(this._colouringList, this._overlaysList);
      section.insertBefore(this._colouringSeparator, this._overlaysList);
    },

    _isColouring: function (layer) { return this._colourings.indexOf(layer) >= 0; },

    _update: function () {
      if (!this._container) { return this; }
      L.DomUtil.empty(this._colouringList);
      Layers.prototype._update.call(this);
      if (this._colourings.length) {
        var on = this._colourings.some(function (layer) { return this._map.hasLayer(layer); }, this),
            none = this._createRadioElement(this._group(), !on);
        L.DomEvent.on(none, 'click', this._onNoneClick, this);
        this._label(none, null, this.options.noneLabel);
      }
      this._colouringList.style.display = this._colourings.length ? '' : 'none';
      this._colouringSeparator.style.display = this._colourings.length ? '' : 'none';
      return this;
    },

    _group: function () { return 'inspector-colouring_' + L.Util.stamp(this); },

    _addItem: function (obj) {
      if (!this._isColouring(obj.layer)) { return Layers.prototype._addItem.call(this, obj); }
      var input = this._createRadioElement(this._group(), this._map.hasLayer(obj.layer));
      input.layerId = L.Util.stamp(obj.layer);
      this._layerControlInputs.push(input);
      L.DomEvent.on(input, 'click', this._onInputClick, this);
      return this._label(input, obj.name, null);
    },

    /** A row of the colouring list: `html` is a layer name (escaped by the page builder, as Leaflet's own
     *  names are), `text` plain text. */
    _label: function (input, html, text) {
      var label = document.createElement('label'), holder = document.createElement('span'),
          name = document.createElement('span');
      if (html !== null) { name.innerHTML = ' ' + html; } else { name.textContent = ' ' + text; }
      holder.appendChild(input);
      holder.appendChild(name);
      label.appendChild(holder);
      this._colouringList.appendChild(label);
      return label;
    },

    /** "No colouring": every colouring off, the radio buttons left as the click set them. */
    _onNoneClick: function () {
      this._handlingClick = true;
      this._colourings.forEach(function (layer) {
        if (this._map.hasLayer(layer)) { this._map.removeLayer(layer); }
      }, this);
      this._handlingClick = false;
      this._refocusOnMap();
    }
  });

  L.control.inspectorLayers = function (baseLayers, colourings, overlays, options) {
    return new L.Control.InspectorLayers(baseLayers, colourings, overlays, options);
  };
}());
