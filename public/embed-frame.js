/* Runs inside /c/:slug/embed: reports the page height to the framing page (public/embed.js). */
;(function () {
  if (window.parent === window) return
  function post() {
    window.parent.postMessage(
      { type: 'writ:height', height: document.documentElement.scrollHeight },
      '*',
    )
  }
  if ('ResizeObserver' in window) new ResizeObserver(post).observe(document.body)
  window.addEventListener('load', post)
  post()
})()
