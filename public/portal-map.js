// The portal's maps, drawn from what the page says: a draft's stations
// (`data-points`, each [lat, lon, name]) or, on a station's form, one
// marker to drag that writes its place into the Latitude and Longitude
// fields (`data-drag`). Leaflet and the tiles come as on the voter pages;
// without JavaScript, or when Leaflet does not load, the list and the
// fields are all there is, and they are enough.
(function () {
  const box = document.getElementById('portal-map');
  if (!box || !window.L) return;
  const points = JSON.parse(box.dataset.points || '[]');
  if (points.length === 0) return;
  box.hidden = false;
  const map = L.map(box, { scrollWheelZoom: false });
  if (box.dataset.tiles) {
    L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution || '', maxZoom: 19 }).addTo(map);
  }
  const field = (name) => document.querySelector(`input[name="${name}"]`);
  const markers = points.map(([lat, lon, name]) => {
    const marker = L.marker([lat, lon], { title: name, alt: name, draggable: 'drag' in box.dataset });
    marker.on('dragend', () => {
      const { lat, lng } = marker.getLatLng();
      field('Latitude').value = lat.toFixed(6);
      field('Longitude').value = lng.toFixed(6);
    });
    return marker.addTo(map);
  });
  map.fitBounds(L.featureGroup(markers).getBounds().pad(0.2), { maxZoom: 16 });
})();
