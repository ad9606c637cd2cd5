// PLACEHOLDER, replaced by the organizers capability (its own branch). It exists so that the
// admin routes of other capabilities (e.g. /admin/packets) can call the real guard's signature
// today. Until the real module lands, every admin request is refused: no auth is invented here.

export type OrganizerRole = 'owner' | 'organizer' | 'viewer'
export type SignedInOrganizer = { id: string; email: string; name: string; role: OrganizerRole }

/** Throws a 401 Response unless the request is from a signed-in organizer with this role. */
export async function requireOrganizer(
  _request: Request,
  _options: { role?: OrganizerRole } = {},
): Promise<SignedInOrganizer> {
  throw new Response('Sign-in for organizers is not available in this build.', {
    status: 401,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  })
}
