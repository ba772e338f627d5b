/* L.control.inspectorLegend: the map's legend as a control that folds to its title (our code; inlined).
 *
 * L.control.inspectorLegend(element, {toggled: fn}) puts the legend's HTML element (built by maps/layers.py) in
 * the bottom right corner; its title button folds and unfolds it (then calls `toggled`). Until the user does so, the legend follows a rule:
 * folded while, unfolded, it would cover more than a fifth of the map (a small window, a laptop's screen),
 * unfolded again when the map grows. The page may also hold it folded for as long as a popup is open that no
 * position of the map keeps clear of it.
 */
(function () {
  'use strict';

  var TOO_BIG = 0.2;  // share of the map's area that an unfolded legend may cover before it folds by itself

  L.Control.InspectorLegend = L.Control.extend({
    options: {position: 'bottomright'},

    initialize: function (element, options) {
      L.setOptions(this, options);
      this._el = element;
      this._byHand = null;  // true / false: folded / unfolded by the user; null: by the rule
      this._held = null;  // the popup it is folded for
    },

    onAdd: function () {
      L.DomEvent.disableClickPropagation(this._el);
      L.DomEvent.disableScrollPropagation(this._el);
      var toggle = this._el.querySelector('.legend-toggle');
      if (toggle) {
        L.DomEvent.on(toggle, 'click', function () {
          this.fold(!this.folded());
          if (this.options.toggled) { this.options.toggled(); }
        }, this);
      }
      return this._el;
    },

    folded: function () { return L.DomUtil.hasClass(this._el, 'folded'); },

    /** How the user left it: true (folded), false (unfolded) or null (never touched, the rule decides). */
    byHand: function () { return this._byHand; },

    /** Fold or unfold it as the user's choice (its button does the same); null gives it back to the rule. */
    fold: function (folded) {
      this._byHand = folded === null || folded === undefined ? null : !!folded;
      this._held = null;
      this.update();
    },

    /** Fold or unfold it by the rule, unless the user chose or a popup holds it folded. */
    update: function () {
      if (this._held) { return; }
      this._show(this._byHand !== null ? this._byHand : this.tooBig());
    },

    /** Whether the unfolded legend covers more than TOO_BIG of the map (measured unfolded, never painted so). */
    tooBig: function () {
      var size = this._map ? this._map.getSize() : null, folded = this.folded();
      if (!size || !size.x || !size.y) { return false; }
      if (folded) { L.DomUtil.removeClass(this._el, 'folded'); }
      var r = this._el.getBoundingClientRect();
      if (folded) { L.DomUtil.addClass(this._el, 'folded'); }
      return r.width * r.height > TOO_BIG * size.x * size.y;
    },

    /** Keep it folded while `popup` is open; `null` lets it follow the rule (or the user) again. */
    holdFor: function (popup) {
      this._held = popup;
      if (popup) { this._show(true); } else { this.update(); }
    },

    heldFor: function () { return this._held; },

    _show: function (folded) {
      if (folded) { L.DomUtil.addClass(this._el, 'folded'); } else { L.DomUtil.removeClass(this._el, 'folded'); }
      var toggle = this._el.querySelector('.legend-toggle');
      if (toggle) { toggle.setAttribute('aria-expanded', String(!folded)); }
    }
  });

  L.control.inspectorLegend = function (element, options) { return new L.Control.InspectorLegend(element, options); };
}());
