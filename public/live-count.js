// The campaign page's live count (ADR 1102): every 15 s while the tab is visible, reads
// count.json (served from the read cache) and updates the count, the thermometer and the recent
// signers in place. The polite live region speaks at most once a minute. No framework, no
// cookies sent, nothing about the reader recorded. Without JavaScript the page is unchanged.
;(function () {
  var root = document.querySelector('[data-live-count]')
  if (!root || !window.fetch) return
  var url = root.getAttribute('data-live-count')
  var number = root.querySelector('[data-testid="signature-count"]')
  var label = root.querySelector('[data-live="label"]')
  var bar = root.querySelector('progress')
  var announce = root.querySelector('[data-live="announce"]')
  var recent = document.querySelector('.recent')
  var lastSpoken = Date.now()
  var spokenCount = null
  var busy = false

  function showRecent(names) {
    if (!recent || !names.length) return
    var list = recent.querySelector('.recent-list')
    if (!list) {
      list = document.createElement('ul')
      list.className = 'recent-list'
      var empty = recent.querySelector('p')
      if (empty) recent.replaceChild(list, empty)
      else recent.appendChild(list)
    }
    var same = list.children.length === names.length
    for (var i = 0; same && i < names.length; i++) same = list.children[i].textContent === names[i]
    if (same) return
    while (list.firstChild) list.removeChild(list.firstChild)
    names.forEach(function (name) {
      var li = document.createElement('li')
      li.textContent = name
      list.appendChild(li)
    })
  }

  function update(d) {
    if (typeof d.count !== 'number') return
    if (number && number.textContent !== d.shown) number.textContent = d.shown
    if (label) label.textContent = d.label
    if (bar) {
      bar.value = Math.min(d.count, d.goal)
      bar.setAttribute('aria-valuetext', d.valueText)
    }
    showRecent(d.recent || [])
    if (spokenCount === null) spokenCount = d.count
    var now = Date.now()
    if (announce && d.count !== spokenCount && now - lastSpoken >= 60000) {
      announce.textContent = d.valueText
      spokenCount = d.count
      lastSpoken = now
    }
  }

  function poll() {
    if (document.hidden || busy) return
    busy = true
    fetch(url, { credentials: 'omit' })
      .then(function (r) {
        return r.ok ? r.json() : null
      })
      .then(function (d) {
        if (d) update(d)
      })
      .catch(function () {})
      .then(function () {
        busy = false
      })
  }

  setInterval(poll, 15000)
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) poll()
  })
})()
