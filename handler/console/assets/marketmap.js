// The market form's map: a click on the SVG sets the latitude and longitude inputs, and typed numbers move
// the marker. The SVG carries its top left corner and the degrees of one unit; without this script the
// number inputs work alone.
(function () {
  var map = document.getElementById('market-map');
  var lat = document.getElementById('lat');
  var lng = document.getElementById('lng');
  var marker = document.getElementById('map-marker');
  if (!map || !lat || !lng || !marker) return;
  var west = parseFloat(map.dataset.west), north = parseFloat(map.dataset.north);
  var lngpp = parseFloat(map.dataset.lngpp), latpp = parseFloat(map.dataset.latpp);
  var box = map.viewBox.baseVal;
  // Clickable from now on: the crosshair shows it.
  map.classList.add('live');

  function place(x, y) {
    if (x < 0 || y < 0 || x > box.width || y > box.height) {
      marker.classList.add('hidden');
      return;
    }
    marker.setAttribute('transform', 'translate(' + x.toFixed(1) + ' ' + y.toFixed(1) + ')');
    marker.classList.remove('hidden');
  }

  map.addEventListener('click', function (e) {
    var r = map.getBoundingClientRect();
    var x = (e.clientX - r.left) * box.width / r.width;
    var y = (e.clientY - r.top) * box.height / r.height;
    lat.value = (north - y * latpp).toFixed(6);
    lng.value = (west + x * lngpp).toFixed(6);
    place(x, y);
  });

  function typed() {
    var a = parseFloat(lat.value), o = parseFloat(lng.value);
    if (isNaN(a) || isNaN(o)) {
      marker.classList.add('hidden');
      return;
    }
    place((o - west) / lngpp, (north - a) / latpp);
  }
  lat.addEventListener('input', typed);
  lng.addEventListener('input', typed);
})();
