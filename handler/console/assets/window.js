// 窗口服务: the consent photo from the PC's camera (getUserMedia → a canvas → a JPEG put into the form's
// file input, so the form posts it like a chosen file), and the slip's print button. Without a camera, or
// without this script, the file input alone works.
(function () {
  var print = document.getElementById('print-slip');
  if (print) print.addEventListener('click', function () { window.print(); });

  var start = document.getElementById('camera-start');
  var video = document.getElementById('camera-video');
  var canvas = document.getElementById('camera-canvas');
  var shoot = document.getElementById('camera-shoot');
  var status = document.getElementById('camera-status');
  var input = document.getElementById('photo');
  if (!start || !input || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.DataTransfer) return;
  start.classList.remove('hidden');
  var stream = null;

  start.addEventListener('click', function () {
    status.textContent = '正在打开摄像头……';
    navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.classList.remove('hidden');
        shoot.classList.remove('hidden');
        start.classList.add('hidden');
        status.textContent = '对准签好字的同意书，点“拍下来”。';
      })
      .catch(function () { status.textContent = '打不开摄像头，请用上面的“选文件”。'; });
  });

  shoot.addEventListener('click', function () {
    canvas.width = video.videoWidth || 1280;
    canvas.height = video.videoHeight || 720;
    canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
    canvas.toBlob(function (blob) {
      if (!blob) {
        status.textContent = '没拍下来，请再拍一次，或用“选文件”。';
        return;
      }
      var files = new DataTransfer();
      files.items.add(new File([blob], 'consent.jpg', { type: 'image/jpeg' }));
      input.files = files.files;
      canvas.classList.remove('hidden');
      video.classList.add('hidden');
      shoot.classList.add('hidden');
      start.classList.remove('hidden');
      start.textContent = '重拍';
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      status.textContent = '拍好了，登记时一起交上去。';
    }, 'image/jpeg', 0.85);
  });
})();
