// A campaign's own donate page: the /donate module, with the campaign from the URL.
// (`c.$slug_`: not nested in the campaign page's layout.)
export { action, default, headers, links, loader, meta } from './donate._index'
