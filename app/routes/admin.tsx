import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, NavLink, Outlet, useLoaderData, useRouteLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { canSeePii } from '#app/organizers/auth.server'
import { requireOrganizer } from '#app/http/session.server'

import adminStyles from '../styles/admin.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: adminStyles }]

export const meta: MetaFunction = () => [
  { title: 'Writ — Organizers' },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request)
  return { organizer, pii: canSeePii(organizer.role) }
}

/** The signed-in organizer, for child routes' components. */
export function useAdmin() {
  return useRouteLoaderData<typeof loader>('routes/admin')!
}

export default function AdminLayout() {
  const { organizer, pii } = useLoaderData<typeof loader>()
  const { t } = useTranslation('admin')
  return (
    <div className="admin">
      <nav aria-label={t('nav.label')} className="admin-nav">
        <ul>
          <li>
            <NavLink to="/admin" end>
              {t('nav.dashboard')}
            </NavLink>
          </li>
          <li>
            <NavLink to="/admin/campaigns">{t('nav.campaigns')}</NavLink>
          </li>
          <li>
            <NavLink to="/admin/mailings">{t('nav.mailings')}</NavLink>
          </li>
          {pii ? (
            <>
              <li>
                <NavLink to="/admin/privacy">{t('nav.privacy')}</NavLink>
              </li>
              <li>
                <NavLink to="/admin/safety">{t('nav.safety')}</NavLink>
              </li>
            </>
          ) : null}
          {organizer.role === 'owner' ? (
            <>
              <li>
                <NavLink to="/admin/organizers">{t('nav.organizers')}</NavLink>
              </li>
              <li>
                <NavLink to="/admin/audit">{t('nav.audit')}</NavLink>
              </li>
              <li>
                <NavLink to="/admin/api">{t('api:nav.api')}</NavLink>
              </li>
              <li>
                <NavLink to="/admin/webhooks">{t('api:nav.webhooks')}</NavLink>
              </li>
            </>
          ) : null}
          <li>
            <NavLink to="/admin/two-factor">{t('nav.twoFactor')}</NavLink>
          </li>
        </ul>
        <p className="admin-who">
          {t('nav.signedInAs', { email: organizer.email, role: t(`roles.${organizer.role}`) })}
        </p>
        <Form method="post" action="/admin/logout">
          <button type="submit" className="button-link">
            {t('nav.signOut')}
          </button>
        </Form>
      </nav>
      <Outlet />
    </div>
  )
}
