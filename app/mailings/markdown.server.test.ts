import { expect, test } from 'vitest'
import { markdownToSafeHtml } from './markdown.server'

test('Markdown becomes email HTML: formatting and links kept, anything active or tracking dropped', () => {
  const html = markdownToSafeHtml(
    [
      '## Update',
      '',
      'We **won** a hearing. [Read more](https://example.org/news) or [write](mailto:a@example.org).',
      '',
      '<script>alert(1)</script><img src="https://tracker.example/p.gif"><iframe src="x"></iframe>',
      '',
      '[click](javascript:alert(1)) <a href="https://x.example" onclick="steal()" style="color:red">x</a>',
      '',
      '- one',
      '- two',
    ].join('\n'),
  )
  expect(html).toContain('<h2>Update</h2>')
  expect(html).toContain('<strong>won</strong>')
  expect(html).toContain('<a href="https://example.org/news">Read more</a>')
  expect(html).toContain('<a href="mailto:a@example.org">write</a>')
  expect(html).toContain('<li>one</li>')
  expect(html).not.toMatch(/<script|<img|<iframe|javascript:|onclick|style=/i)
  expect(html).toContain('<a href="https://x.example">x</a>')
})
