/* Writ embed: resizes <iframe data-writ-embed> to the height its page reports. No dependencies. */
;(function () {
  if (window.__writEmbed) return
  window.__writEmbed = true
  window.addEventListener('message', function (event) {
    var data = event.data
    if (!data || data.type !== 'writ:height' || typeof data.height !== 'number') return
    var frames = document.querySelectorAll('iframe[data-writ-embed]')
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i]
      if (frame.contentWindow !== event.source) continue
      if (new URL(frame.src, location.href).origin !== event.origin) continue
      frame.style.height = Math.max(200, Math.min(6000, Math.ceil(data.height))) + 'px'
    }
  })
})()
