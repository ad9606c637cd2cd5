import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { logout } from '#app/http/session.server'

// Sign-out is a POST (a GET could be triggered by any link or image on another page).
export async function loader() {
  throw redirect('/admin/login')
}

export async function action({ request }: ActionFunctionArgs) {
  throw redirect('/admin/login', { headers: { 'Set-Cookie': await logout(request) } })
}
