import { createContext, useContext } from 'react'

// The CSP nonce for this response; empty in the browser, where scripts already ran.
export const NonceContext = createContext<string>('')
export const NonceProvider = NonceContext.Provider
export const useNonce = () => useContext(NonceContext)
