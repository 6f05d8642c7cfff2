import { Form, redirect, useActionData, useLoaderData, useRouter } from '@paretojs/core'
import type { ActionContext, LoaderContext } from '@paretojs/core'
import { currentUser, localPath, signIn, signOut } from '../../lib/server/session'

export function loader({ req }: LoaderContext) {
  const next = localPath(req.query.next, '/tasks')
  if (currentUser(req)) redirect(next) // already signed in
  return { next }
}

// POST /login: signs in (or, from the header's form, out). Works as a plain form post without JavaScript.
export async function action(ctx: ActionContext) {
  const { req, res } = ctx
  const form = await ctx.formData()
  if (form.get('intent') === 'sign-out') {
    signOut(req, res)
    redirect('/') // 303: the browser follows with a GET
  }
  const name = String(form.get('name') ?? '').trim()
  if (!name || name.length > 40) {
    res.status(422)
    return { error: name ? 'Use at most 40 characters.' : 'Enter your name to sign in.', name }
  }
  signIn(res, name)
  // The form posts to this page's own URL, so ?next= is still in the query.
  redirect(localPath(req.query.next, '/tasks'))
}

export default function Login() {
  const { next } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { state } = useRouter()
  return (
    <section className="card mx-auto max-w-sm space-y-4" data-testid="login">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Sign in</h1>
        <p className="text-sm text-slate-500">
          A demo: any name will do. Then you can {next === '/tasks' ? 'keep the team’s tasks' : 'go on'}.
        </p>
      </div>
      <Form method="post" className="space-y-3">
        <label className="block text-sm font-medium text-slate-700">
          Name
          <input
            name="name"
            autoComplete="username"
            defaultValue={result?.name}
            aria-invalid={result ? true : undefined}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5"
          />
        </label>
        {result ? (
          <p className="text-sm text-rose-700" role="alert" data-testid="login-error">
            {result.error}
          </p>
        ) : null}
        <button
          type="submit"
          disabled={state === 'submitting'}
          className="w-full rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {state === 'submitting' ? 'Signing in…' : 'Sign in'}
        </button>
      </Form>
    </section>
  )
}
