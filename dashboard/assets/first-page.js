/* The address the page was loaded with, taken before a page writes its choices into the address bar: the
 * check of dashboard/first_page.py compares it with the address the first layout was made for. */
window.smartRetailLoadedAddress = window.location.pathname + window.location.search;
