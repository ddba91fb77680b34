import type { ComponentChildren, JSX } from "preact";
import { createStore, useStore } from "./store";

// A small history router: paths are the app's own (/login, /account/..., /console/...), none of
// which the API uses, so the local server and CloudFront can tell pages from API calls.

const location = createStore(currentLocation());

function currentLocation() {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

window.addEventListener("popstate", () => location.set(currentLocation()));

export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  location.set(currentLocation());
  window.scrollTo(0, 0);
}

export const useLocation = () => useStore(location);

type LinkProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, "href"> & { href: string; children: ComponentChildren };

export function Link({ href, children, ...rest }: LinkProps) {
  const onClick = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
