// crm_team check-in (#17): ask the browser for the position, then send the form either way.
(function () {
  "use strict";
  var form = document.querySelector("form.checkin");
  if (!form) { return; }
  var status = form.querySelector(".geostatus");
  function send(position) {
    form.elements.position.value = position;
    form.submit();
  }
  form.addEventListener("submit", function (event) {
    if (form.dataset.sent) { return; }
    event.preventDefault();
    form.dataset.sent = "1";
    form.querySelector("button").disabled = true;
    if (status) { status.textContent = form.dataset.locating; }
    if (!navigator.geolocation) { send("unavailable"); return; }
    navigator.geolocation.getCurrentPosition(function (found) {
      form.elements.latitude.value = found.coords.latitude.toFixed(6);
      form.elements.longitude.value = found.coords.longitude.toFixed(6);
      form.elements.accuracy.value = Math.round(found.coords.accuracy);
      send("granted");
    }, function (error) {
      send(error.code === 1 ? "denied" : "unavailable");
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  });
}());
