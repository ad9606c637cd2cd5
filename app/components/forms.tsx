import { useId } from 'react'
import { useTranslation } from 'react-i18next'

export type ListOfErrors = Array<string | null | undefined> | null | undefined

/**
 * Field errors as a list. Schemas carry i18n keys (e.g. "errors.email" or
 * "petitions:errors.x"), so the same message reads in the visitor's language.
 */
export function ErrorList({ id, errors }: { id?: string; errors?: ListOfErrors }) {
  const { t } = useTranslation()
  const shown = errors?.filter(Boolean)
  if (!shown?.length) return null
  return (
    <ul id={id} className="error-list">
      {shown.map((e) => (
        <li key={e}>{t(e as string)}</li>
      ))}
    </ul>
  )
}

type InputProps = React.InputHTMLAttributes<HTMLInputElement> & { key?: string | null }

/** A labelled input that announces its errors and hint (aria-invalid, aria-describedby). */
export function Field({
  label,
  hint,
  inputProps,
  errors,
  className,
}: {
  label: React.ReactNode
  hint?: React.ReactNode
  inputProps: InputProps
  errors?: ListOfErrors
  className?: string
}) {
  const fallbackId = useId()
  const { key, ...props } = inputProps
  const id = props.id ?? fallbackId
  const errorId = errors?.length ? `${id}-error` : undefined
  const hintId = hint ? `${id}-hint` : undefined
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span id={hintId} className="hint">
          {hint}
        </span>
      ) : null}
      <input
        key={key ?? undefined}
        {...props}
        id={id}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={describedBy}
      />
      <ErrorList id={errorId} errors={errors} />
    </div>
  )
}

export function TextareaField({
  label,
  hint,
  textareaProps,
  errors,
}: {
  label: React.ReactNode
  hint?: React.ReactNode
  textareaProps: React.TextareaHTMLAttributes<HTMLTextAreaElement> & { key?: string | null }
  errors?: ListOfErrors
}) {
  const fallbackId = useId()
  const { key, ...props } = textareaProps
  const id = props.id ?? fallbackId
  const errorId = errors?.length ? `${id}-error` : undefined
  const hintId = hint ? `${id}-hint` : undefined
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span id={hintId} className="hint">
          {hint}
        </span>
      ) : null}
      <textarea
        key={key ?? undefined}
        {...props}
        id={id}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={describedBy}
      />
      <ErrorList id={errorId} errors={errors} />
    </div>
  )
}

export function SelectField({
  label,
  hint,
  selectProps,
  options,
  errors,
}: {
  label: React.ReactNode
  hint?: React.ReactNode
  selectProps: React.SelectHTMLAttributes<HTMLSelectElement> & { key?: string | null }
  options: Array<{ value: string; label: string }>
  errors?: ListOfErrors
}) {
  const fallbackId = useId()
  const { key, ...props } = selectProps
  const id = props.id ?? fallbackId
  const errorId = errors?.length ? `${id}-error` : undefined
  const hintId = hint ? `${id}-hint` : undefined
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span id={hintId} className="hint">
          {hint}
        </span>
      ) : null}
      <select
        key={key ?? undefined}
        {...props}
        id={id}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={describedBy}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorList id={errorId} errors={errors} />
    </div>
  )
}

export function CheckboxField({
  label,
  inputProps,
  errors,
}: {
  label: React.ReactNode
  inputProps: InputProps
  errors?: ListOfErrors
}) {
  const fallbackId = useId()
  const { key, ...props } = inputProps
  const id = props.id ?? fallbackId
  const errorId = errors?.length ? `${id}-error` : undefined
  return (
    <div className="field">
      <div className="checkbox">
        <input
          key={key ?? undefined}
          {...props}
          type="checkbox"
          id={id}
          aria-invalid={errorId ? true : undefined}
          aria-describedby={errorId}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      <ErrorList id={errorId} errors={errors} />
    </div>
  )
}
