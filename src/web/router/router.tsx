import {
  type AnchorHTMLAttributes,
  createContext,
  type MouseEvent,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';

interface Location {
  path: string;
  search: string;
}

interface Router extends Location {
  navigate(to: string, options?: { replace?: boolean }): void;
}

const Context = createContext<Router>({ path: '/', search: '', navigate: () => {} });

function current(): Location {
  return { path: window.location.pathname, search: window.location.search };
}

/** The History API, as React state: no page loads between pages. */
export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState<Location>(current);
  useEffect(() => {
    const onPop = () => setLocation(current());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback(
    (to: string, options: { replace?: boolean } = {}) => {
      const before = `${window.location.pathname}${window.location.search}`;
      if (to === before) return;
      if (options.replace) window.history.replaceState(null, '', to);
      else window.history.pushState(null, '', to);
      const next = current();
      setLocation(next);
      if (next.path !== location.path) window.scrollTo(0, 0);
    },
    [location.path],
  );
  const value = useMemo(() => ({ ...location, navigate }), [location, navigate]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useRouter(): Router {
  return useContext(Context);
}

/** An ordinary link (opens in a new tab with a modifier key) that navigates in place otherwise. */
export function Link({
  to,
  children,
  ...rest
}: { to: string; children: ReactNode } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>) {
  const { navigate } = useRouter();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    rest.onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a {...rest} href={to} onClick={onClick}>
      {children}
    </a>
  );
}
