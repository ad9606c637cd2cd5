// A campaign's donation thank-you page: the /donate/thanks module, with the campaign from the URL.
export { default, links, loader, meta } from './donate.thanks'
