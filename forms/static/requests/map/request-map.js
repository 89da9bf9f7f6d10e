/* The map of open requests (public page) and of one request (the admin's handle view): draws the
 * markers of a `json_script` element named by the container's `data-request-map`. Progressive
 * enhancement: the container stays hidden without JavaScript or Leaflet, and the list under it
 * says the same. No inline script or style (Content-Security-Policy): settings come in data
 * attributes. Leaflet and Leaflet.markercluster are served from
 * forms/static/requests/map/vendor/ (copied from node_modules: `make leaflet`). */
(function () {
  "use strict";
  var L = window.L;
  if (typeof L === "undefined") {
    return; // the list still says everything
  }
  // Strings from Django's JavaScript catalogue (jsi18n, loaded before this file); English if it
  // could not be loaded.
  var _ = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var format = window.interpolate || function (text, values) { return text.replace("%s", values[0]); };
  var reduceMotion = !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);

  function escapeHtml(text) {
    var box = document.createElement("span");
    box.textContent = text;
    return box.innerHTML;
  }

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var spoken = format(ngettext("%s open request: zoom in", "%s open requests: zoom in", count), [count]);
    return L.divIcon({
      html: '<div><span aria-hidden="true">' + count + '</span><span class="request-map__hidden">' +
        escapeHtml(spoken) + "</span></div>",
      className: "marker-cluster marker-cluster-" + size,
      iconSize: L.point(40, 40)
    });
  }

  function popup(point) {
    var box = document.createElement("div");
    var type = document.createElement("strong");
    type.textContent = point.type;
    var details = document.createElement("p");
    details.textContent = point.status + " · " + format(_("sent on %s"), [point.date]);
    box.appendChild(type);
    box.appendChild(details);
    return box;
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-request-map"));
    if (!source) {
      return;
    }
    var points = JSON.parse(source.textContent);
    if (!points.length) {
      return;
    }
    container.hidden = false;
    var map = L.map(container, {
      zoomControl: false,
      maxZoom: 19, // the clusters need it, with or without tiles
      scrollWheelZoom: false, // the page scrolls past the map to the list
      zoomAnimation: !reduceMotion,
      fadeAnimation: !reduceMotion,
      markerZoomAnimation: !reduceMotion
    });
    L.control.zoom({ zoomInTitle: _("Zoom in"), zoomOutTitle: _("Zoom out") }).addTo(map);
    var tiles = container.getAttribute("data-tiles-url");
    if (tiles) {
      L.tileLayer(tiles, { attribution: container.getAttribute("data-tiles-attribution") || "", maxZoom: 19 }).addTo(map);
    }
    var icon = L.icon({
      iconUrl: container.getAttribute("data-icon-url"),
      iconRetinaUrl: container.getAttribute("data-icon-retina-url"),
      shadowUrl: container.getAttribute("data-shadow-url"),
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41]
    });
    var clustered = container.hasAttribute("data-cluster") && typeof L.markerClusterGroup === "function";
    var layer = clustered
      ? L.markerClusterGroup({ iconCreateFunction: clusterIcon, showCoverageOnHover: false, animate: !reduceMotion })
      : L.featureGroup();
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lng], {
        icon: icon,
        alt: point.label,
        title: point.label,
        // The request handled stands out; the others around it are fainter.
        opacity: points[0].current && !point.current ? 0.6 : 1,
        zIndexOffset: point.current ? 1000 : 0
      });
      marker.bindPopup(popup(point));
      layer.addLayer(marker);
    });
    map.addLayer(layer);
    var bounds = layer.getBounds();
    if (points.length === 1 || bounds.getNorthEast().equals(bounds.getSouthWest())) {
      map.setView(bounds.getCenter(), 16);
    } else {
      map.fitBounds(bounds.pad(0.1), { maxZoom: 17 });
    }
    container.setAttribute("data-markers", String(points.length));
  }

  function start() {
    var containers = document.querySelectorAll("[data-request-map]");
    for (var index = 0; index < containers.length; index += 1) {
      draw(containers[index]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
