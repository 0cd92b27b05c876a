package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// FromRESTAPIObject is what the state of a restapi_object (the generic REST provider, Mastercard/restapi, v2 and v3)
// that managed a customer's webhook says about it: the customer from its paths, the URL and the header names from its
// data.
type FromRESTAPIObject struct {
	CustomerID  string
	URL         string
	HeaderNames []string
}

// restAPIPaths are the attributes of a restapi_object that address the
// object; each one set must name the same customer's webhook.
var restAPIPaths = []string{"path", "create_path", "read_path", "update_path", "destroy_path"}

// webhookPath is a path to a customer's webhook, behind any base path (such
// as /sovx/v1) and with a trailing slash or not.
var webhookPath = regexp.MustCompile(`^/?(?:[^/]+/)*?customers/([^/]+)/webhooks/?$`)

// ReadRESTAPIObject reads a restapi_object's state, as JSON, into what it says
// about a webhook; an error says what it found that does not map precisely.
func ReadRESTAPIObject(state []byte) (FromRESTAPIObject, error) {
	var attrs map[string]json.RawMessage
	if err := json.Unmarshal(state, &attrs); err != nil || attrs == nil {
		return FromRESTAPIObject{}, errors.New("its state is not a JSON object")
	}
	customer, err := restAPICustomer(attrs)
	if err != nil {
		return FromRESTAPIObject{}, err
	}
	moved, err := restAPIData(stringAttr(attrs, "data"))
	moved.CustomerID = customer
	return moved, err
}

// restAPICustomer is the one customer every path of the object names.
func restAPICustomer(attrs map[string]json.RawMessage) (string, error) {
	id := stringAttr(attrs, "object_id")
	if id == "" {
		id = stringAttr(attrs, "id")
	}
	customer := ""
	for _, name := range restAPIPaths {
		p := stringAttr(attrs, name)
		if p == "" {
			continue
		}
		if strings.Contains(p, "{id}") && id == "" {
			return "", fmt.Errorf("its %s %q has an {id} and the object has no id", name, p)
		}
		p, _, _ = strings.Cut(strings.ReplaceAll(p, "{id}", id), "?")
		m := webhookPath.FindStringSubmatch(p)
		if m == nil {
			return "", fmt.Errorf("its %s %q is not a customer's webhooks path (/customers/CUSTOMER_ID/webhooks)", name, p)
		}
		c, err := url.PathUnescape(m[1])
		if err == nil {
			err = CheckCustomerID(c)
		}
		switch {
		case err != nil:
			return "", fmt.Errorf("its %s %q names no valid customer id", name, p)
		case customer != "" && c != customer:
			return "", fmt.Errorf("its paths name two customers, %q and %q", customer, c)
		}
		customer = c
	}
	if customer == "" {
		return "", errors.New("it has no path")
	}
	return customer, nil
}

// restAPIData reads the URL and the header names from the object's data: the body it sent ({"url": …, "headers":
// […]}) or, after a read, the API's answer ({"data": {"url": …, "headers": […]}, …}).
func restAPIData(data string) (FromRESTAPIObject, error) {
	var body struct {
		URL     *string         `json:"url"`
		Headers json.RawMessage `json:"headers"`
		Data    *struct {
			URL     *string         `json:"url"`
			Headers json.RawMessage `json:"headers"`
		} `json:"data"`
	}
	if json.Unmarshal([]byte(data), &body) != nil {
		return FromRESTAPIObject{}, errors.New("its data is not a JSON object")
	}
	if body.URL == nil && body.Data != nil {
		body.URL, body.Headers = body.Data.URL, body.Data.Headers
	}
	if body.URL == nil || *body.URL == "" {
		return FromRESTAPIObject{}, errors.New(`its data has no "url"`)
	}
	var headers []struct {
		Key *string `json:"key"`
	}
	if len(body.Headers) > 0 && json.Unmarshal(body.Headers, &headers) != nil {
		return FromRESTAPIObject{}, errors.New(`its data's "headers" is not a list of {"key": …, "value": …}`)
	}
	moved := FromRESTAPIObject{URL: *body.URL}
	for _, h := range headers {
		if h.Key == nil || !HeaderNamePattern.MatchString(*h.Key) {
			return FromRESTAPIObject{}, errors.New(`its data's "headers" has an entry without a valid "key"`)
		}
		moved.HeaderNames = append(moved.HeaderNames, *h.Key)
	}
	if dups := DuplicateNames(moved.HeaderNames); len(dups) > 0 {
		return FromRESTAPIObject{}, fmt.Errorf(`its data's "headers" names %q more than once`, dups[0])
	}
	return moved, nil
}

// stringAttr is a string attribute of a state ("" when null or not a string).
func stringAttr(attrs map[string]json.RawMessage, name string) string {
	var s string
	_ = json.Unmarshal(attrs[name], &s)
	return s
}
